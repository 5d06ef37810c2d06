"""Accounts that existed before sign-up with e-mail verification (made by an administrator or the operator) keep
working: their address is recorded as verified and primary in allauth's table."""

from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email.lower(), verified=True, primary=True)
            for pk, email in User.objects.values_list("pk", "email")
            if pk not in known and email
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_terms"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop)]
