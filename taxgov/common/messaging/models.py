"""Messages caught by the development outbox instead of being sent."""

from django.db import models


class OutboxMessage(models.Model):
    """A message as it would have been delivered; written only when the outbox is the backend."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "Text message"
        VOICE = "voice", "Voice call"
        LETTER = "letter", "Letter"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sender = models.CharField(max_length=254)
    recipients = models.TextField()
    subject = models.CharField(max_length=998, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment = models.BinaryField(blank=True, default=b"")  # a letter's PDF

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipients}: {self.subject or self.body_text[:40]}"
