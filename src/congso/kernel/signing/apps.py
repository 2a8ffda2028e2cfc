from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "congso.kernel.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self) -> None:
        from congso.kernel.files.rules import register_access_rule
        from congso.kernel.signing.models import SigningCredential
        from congso.kernel.signing.rules import can_see_credential_image

        register_access_rule(SigningCredential, can_see_credential_image)
