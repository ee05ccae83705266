from django import template

from taxgov.common.identifiers import masked_tin

register = template.Library()
register.filter("masked_tin", masked_tin)  # {{ ssn|masked_tin }}: XXX-XX-1234
