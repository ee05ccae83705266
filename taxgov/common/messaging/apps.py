from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "taxgov.common.messaging"
    label = "common_messaging"
