from django.apps import AppConfig


class VideoCallConfig(AppConfig):
    name = "taxgov.identity.videocall"
    label = "identity_videocall"
