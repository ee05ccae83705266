"""USWDS form rendering (taxgov.common.uswds.forms) and component tags (templatetags/uswds.py).

Rendering needs Django settings (the form renderer and templates) but no database.
"""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError

from taxgov.common.uswds.components import Button


class SampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As shown on your ID", max_length=50)
    email = forms.EmailField(label="Email address")
    filing_status = forms.ChoiceField(
        label="Filing status",
        choices=[("single", "Single"), ("joint", "Married filing jointly")],
        widget=forms.RadioSelect,
        help_text="Choose the status on your return",
    )
    agree = forms.BooleanField(label="I agree to the terms")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


def _tag(html: str, element: str, element_id: str) -> str:
    match = re.search(rf'<{element}\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no <{element} id={element_id!r}> in:\n{html}"
    return match.group(0)


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def _classes(tag: str) -> set[str]:
    return set((_attr(tag, "class") or "").split())


def _render(source: str, **context) -> str:
    return Template("{% load uswds %}" + source).render(Context(context))


# --- Unbound form ------------------------------------------------------------------------


def test_unbound_form_labels_point_at_their_inputs():
    html = str(SampleForm())

    for field_id, label in [("id_name", "Full name"), ("id_email", "Email address"), ("id_notes", "Notes")]:
        assert re.search(rf'<label class="usa-label" for="{field_id}">{label}', html)
    assert re.search(r'<label class="usa-checkbox__label" for="id_agree">I agree to the terms', html)
    assert re.search(r'<label class="usa-radio__label" for="id_filing_status_0">Single</label>', html)


def test_unbound_form_inputs_carry_uswds_classes():
    html = str(SampleForm())

    assert "usa-input" in _classes(_tag(html, "input", "id_name"))
    assert "usa-input" in _classes(_tag(html, "input", "id_email"))
    assert "usa-radio__input" in _classes(_tag(html, "input", "id_filing_status_0"))
    assert "usa-radio__input" in _classes(_tag(html, "input", "id_filing_status_1"))
    assert "usa-checkbox__input" in _classes(_tag(html, "input", "id_agree"))
    assert "usa-textarea" in _classes(_tag(html, "textarea", "id_notes"))
    assert "usa-input--error" not in html
    assert "usa-form-group--error" not in html


def test_unbound_form_hint_is_linked_to_its_input():
    html = str(SampleForm())

    assert '<div class="usa-hint" id="id_name_helptext">As shown on your ID</div>' in html
    assert _attr(_tag(html, "input", "id_name"), "aria-describedby") == "id_name_helptext"
    assert _attr(_tag(html, "input", "id_email"), "aria-describedby") is None
    assert _attr(_tag(html, "input", "id_name"), "aria-invalid") is None


def test_unbound_form_groups_radios_in_fieldset_with_legend_and_hint():
    html = str(SampleForm())

    fieldset = re.search(r"<fieldset\b[^>]*>(.*?)</fieldset>", html, re.DOTALL)
    assert fieldset
    assert 'class="usa-fieldset"' in fieldset.group(0)
    assert _attr(fieldset.group(0).split(">")[0], "aria-describedby") == "id_filing_status_helptext"
    assert re.search(r'<legend class="usa-legend">Filing status', fieldset.group(1))
    assert 'id="id_filing_status_helptext"' in fieldset.group(1)
    assert fieldset.group(1).count('type="radio"') == 2
    assert '<label class="usa-label"' not in fieldset.group(1)


def test_unbound_form_marks_required_fields_and_explains_the_marker():
    html = str(SampleForm())

    assert "indicates a required field" in html
    assert html.count('class="usa-hint usa-hint--required"') == 1 + 4  # the explanation + four required fields
    assert "required" in _tag(html, "input", "id_name")
    assert "required" not in _tag(html, "textarea", "id_notes")


def test_unbound_form_has_no_error_summary():
    html = str(SampleForm())

    assert "data-error-summary" not in html
    assert "There is a problem" not in html
    assert "usa-error-message" not in html


def test_form_without_required_fields_omits_required_explanation():
    class OptionalForm(forms.Form):
        notes = forms.CharField(required=False)

    assert "indicates a required field" not in str(OptionalForm())


# --- Bound form with errors --------------------------------------------------------------


@pytest.fixture
def invalid_html() -> str:
    form = SampleForm(data={"name": "", "email": "not-an-address", "notes": "hello"})
    assert not form.is_valid()
    return str(form)


def test_error_summary_comes_first_and_lists_every_error_with_a_link(invalid_html):
    assert invalid_html.lstrip().startswith("<div")
    summary = re.search(r"<div [^>]*data-error-summary[^>]*>(.*?)</ul>", invalid_html, re.DOTALL)
    assert summary
    assert invalid_html.index("data-error-summary") < invalid_html.index("<input")
    assert "usa-alert--error" in summary.group(0)
    assert 'role="alert"' in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0)
    assert "There is a problem" in summary.group(1)
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', summary.group(1))
    assert ("#id_name", "Full name: This field is required.") in links
    assert ("#id_email", "Email address: Enter a valid email address.") in links
    assert ("#id_agree", "I agree to the terms: This field is required.") in links
    assert len(links) == 4  # name, email, filing status, agree; not notes


def test_field_with_error_is_marked_and_linked_to_its_message(invalid_html):
    tag = _tag(invalid_html, "input", "id_email")

    assert _attr(tag, "aria-invalid") == "true"
    assert "id_email_error" in _attr(tag, "aria-describedby").split()
    assert {"usa-input", "usa-input--error"} <= _classes(tag)
    assert '<span class="usa-error-message" id="id_email_error">Enter a valid email address.</span>' in invalid_html
    assert invalid_html.count("usa-form-group--error") == 4
    assert 'class="usa-label usa-label--error" for="id_email"' in invalid_html


def test_field_with_error_and_hint_is_described_by_both(invalid_html):
    tag = _tag(invalid_html, "input", "id_name")

    assert _attr(tag, "aria-describedby").split() == ["id_name_helptext", "id_name_error"]
    assert 'id="id_name_error"' in invalid_html


def test_radio_group_with_error_links_fieldset_to_message(invalid_html):
    fieldset = re.search(r"<fieldset\b[^>]*>", invalid_html).group(0)

    assert _attr(fieldset, "aria-describedby").split() == ["id_filing_status_helptext", "id_filing_status_error"]
    assert 'id="id_filing_status_error"' in invalid_html
    assert _attr(_tag(invalid_html, "input", "id_filing_status_0"), "aria-invalid") == "true"
    assert '<legend class="usa-legend usa-label--error">' in invalid_html


def test_checkbox_with_error_is_marked(invalid_html):
    tag = _tag(invalid_html, "input", "id_agree")

    assert _attr(tag, "aria-invalid") == "true"
    assert _attr(tag, "aria-describedby") == "id_agree_error"


def test_valid_field_in_invalid_form_is_not_marked(invalid_html):
    tag = _tag(invalid_html, "textarea", "id_notes")

    assert _attr(tag, "aria-invalid") is None
    assert "usa-input--error" not in _classes(tag)
    assert 'id="id_notes_error"' not in invalid_html


def test_error_summary_shows_non_field_errors():
    class PairForm(forms.Form):
        code = forms.CharField()

        def clean(self):
            raise forms.ValidationError("That code has expired.")

    html = str(PairForm(data={"code": "123456"}))

    assert re.search(r"data-error-summary.*<li>That code has expired\.</li>", html, re.DOTALL)


def test_error_messages_are_escaped():
    class EchoForm(forms.Form):
        code = forms.CharField()

        def clean_code(self):
            raise forms.ValidationError("<b>%(value)s</b> is wrong", params={"value": self.cleaned_data["code"]})

    html = str(EchoForm(data={"code": "<script>alert(1)</script>"}))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_error_summary_links_point_at_elements_of_the_form(invalid_html):
    ids = set(re.findall(r'\bid="([^"]+)"', invalid_html))
    summary = re.search(r"data-error-summary.*?</ul>", invalid_html, re.DOTALL).group(0)

    targets = re.findall(r'<a href="#([^"]*)"', summary)

    assert len(targets) == 4
    assert [target for target in targets if target not in ids] == []
    assert "id_filing_status_0" in targets, "a radio group's error leads to its first option"


def test_checkbox_group_inputs_carry_checkbox_class():
    class ChoicesForm(forms.Form):
        kinds = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)

    html = str(ChoicesForm())

    assert '<div class="usa-checkbox">' in html
    assert _classes(_tag(html, "input", "id_kinds_0")) == {"usa-checkbox__input"}


def test_widget_class_from_form_definition_is_kept():
    class ZipForm(forms.Form):
        zip_code = forms.CharField(widget=forms.TextInput(attrs={"class": "usa-input--small"}))

    assert _classes(_tag(str(ZipForm()), "input", "id_zip_code")) == {"usa-input", "usa-input--small"}


def test_select_carries_select_class_and_error_class():
    class StateForm(forms.Form):
        state = forms.ChoiceField(choices=[("", "- Select -"), ("MA", "Massachusetts")])

    assert _classes(_tag(str(StateForm()), "select", "id_state")) == {"usa-select"}
    assert _classes(_tag(str(StateForm(data={})), "select", "id_state")) == {"usa-select", "usa-input--error"}


# --- Component tags ----------------------------------------------------------------------


def test_step_indicator_marks_current_step_and_counts():
    html = _render("{% step_indicator steps 1 %}", steps=["Your details", "Verify", "Done"])

    segments = re.findall(r"<li\b[^>]*>", html)
    assert len(segments) == 3
    assert "aria-current" not in segments[0]
    assert 'aria-current="step"' in segments[1]
    assert "aria-current" not in segments[2]
    assert "usa-step-indicator__segment--complete" in segments[0]
    assert "usa-step-indicator__segment--current" in segments[1]
    assert re.search(
        r'<span class="usa-sr-only">Step</span>\s*<span class="usa-step-indicator__current-step">2</span>', html
    )
    assert '<span class="usa-step-indicator__total-steps">of 3</span>' in html
    assert '<span class="usa-step-indicator__heading-text">Verify</span>' in html
    assert 'Your details <span class="usa-sr-only">completed</span>' in html
    assert 'Done <span class="usa-sr-only">not completed</span>' in html


@pytest.mark.parametrize("current", [3, -1])
def test_step_indicator_raises_when_current_step_is_outside_the_steps(current):
    with pytest.raises(TemplateSyntaxError, match="outside"):
        _render("{% step_indicator steps current %}", steps=["a", "b", "c"], current=current)


def test_alert_renders_kind_heading_and_escaped_text():
    html = _render('{% alert "warning" heading="Heads up" text=message role="status" %}', message="<b>x</b>")

    assert 'class="usa-alert usa-alert--warning"' in html
    assert 'role="status"' in html
    assert '<h2 class="usa-alert__heading">Heads up</h2>' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>" not in html


def test_alert_slim_without_heading_or_role():
    html = _render('{% alert "info" text="x" slim=True %}')

    assert 'class="usa-alert usa-alert--info usa-alert--slim"' in html
    assert "usa-alert__heading" not in html
    assert "role=" not in html


def test_alert_raises_when_kind_is_unknown():
    with pytest.raises(TemplateSyntaxError, match="bogus"):
        _render('{% alert "bogus" text="x" %}')


def test_alert_raises_when_role_is_not_allowed():
    with pytest.raises(TemplateSyntaxError, match="role"):
        _render('{% alert "info" text="x" role="button" %}')


def test_data_table_renders_caption_headers_and_row_headers():
    html = _render(
        "{% data_table caption headers rows numeric_columns=numeric %}",
        caption="Payments",
        headers=["Year", "Amount"],
        rows=[["2024", "$1,200.00"], ["2025", "<b>$0.00</b>"]],
        numeric=[1],
    )

    assert "<caption>Payments</caption>" in html
    assert '<th scope="col">Year</th><th scope="col" class="text-right">Amount</th>' in html
    assert '<th scope="row">2024</th><td class="text-right text-tabular">$1,200.00</td>' in html
    assert "&lt;b&gt;$0.00&lt;/b&gt;" in html


def test_data_table_raises_when_row_does_not_match_headers():
    with pytest.raises(TemplateSyntaxError, match="one cell per header"):
        _render(
            "{% data_table caption headers rows %}",
            caption="Payments",
            headers=["Year", "Amount"],
            rows=[["2024", "$1,200.00"], ["2025"]],
        )


def test_button_group_renders_links_and_submit_buttons():
    buttons = [
        Button("Back", url="/start/", style="outline"),
        Button("Save", name="action", value="save"),
        Button("Delete", name="action", value="delete", style="secondary", form="delete-form"),
    ]

    html = _render("{% button_group buttons %}", buttons=buttons)

    assert html.count('<li class="usa-button-group__item">') == 3
    assert '<a class="usa-button usa-button--outline" href="/start/">Back</a>' in html
    assert '<button type="submit" class="usa-button" name="action" value="save">Save</button>' in html
    assert (
        '<button type="submit" class="usa-button usa-button--secondary" name="action" value="delete" '
        'form="delete-form">Delete</button>'
    ) in html


def test_button_refuses_unknown_style():
    with pytest.raises(ValueError, match="style"):
        Button("Go", url="/", style="huge")


def test_modal_is_labelled_by_its_heading_and_described_by_its_text():
    html = _render(
        '{% modal "confirm-delete" heading text confirm "Cancel" %}',
        heading="Delete this draft?",
        text="You cannot undo this.",
        confirm=Button("Delete", name="action", value="delete", form="delete-form"),
    )

    dialog = re.search(r'<div class="usa-modal"[^>]*>', html).group(0)
    assert _attr(dialog, "id") == "confirm-delete"
    assert _attr(dialog, "aria-labelledby") == "confirm-delete-heading"
    assert _attr(dialog, "aria-describedby") == "confirm-delete-description"
    assert '<h2 class="usa-modal__heading" id="confirm-delete-heading">Delete this draft?</h2>' in html
    assert '<p id="confirm-delete-description">You cannot undo this.</p>' in html
    assert 'name="action" value="delete" form="delete-form">Delete</button>' in html  # same markup as button groups
    assert 'aria-label="Cancel" data-close-modal' in html


def test_summary_box_lists_links():
    html = _render('{% summary_box "Next steps" items %}', items=[("Verify", "/verify/"), ("Sign in", "/login/")])

    assert 'role="region" aria-label="Next steps"' in html
    assert '<a class="usa-summary-box__link" href="/verify/">Verify</a>' in html
    assert '<a class="usa-summary-box__link" href="/login/">Sign in</a>' in html
