from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone

from essaim.accounts.enums import Role
from essaim.core.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """The server's operator creates the first network admin (``essaim createsuperuser``): they vouch for the
        address they type, so it is verified at once (sign-up asks everyone else to confirm theirs)."""
        from allauth.account.models import EmailAddress

        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_network_admin", True)
        user = self._create_user(email, password, **extra_fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Logs in with an e-mail address; rights come from memberships per territory."""

    email = models.EmailField("adresse e-mail", unique=True)
    full_name = models.CharField("nom complet", max_length=150, blank=True)
    is_network_admin = models.BooleanField(
        "administrateur·rice du réseau",
        default=False,
        help_text="Gère les territoires membres et l'annuaire du réseau.",
    )
    is_staff = models.BooleanField("accès à l'administration Django", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit·e le", default=timezone.now)
    terms_accepted_at = models.DateTimeField(
        "conditions d'utilisation acceptées le",
        null=True,
        blank=True,
        help_text="Vide pour les comptes créés par l'administration, avant l'inscription en ligne.",
    )
    terms_version = models.CharField("version des conditions acceptées", max_length=20, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rices"
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet):
    def staff(self):
        """Memberships that give the right to edit a territory's content."""
        return self.filter(role__in=[Role.OFFICER, Role.ADMIN])


class Membership(TimeStampedModel):
    """A person's role in one territory: rights are always given per territory."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="personne")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="memberships", verbose_name="territoire"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rôle dans un territoire"
        verbose_name_plural = "rôles dans les territoires"
        ordering = ["territory", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="membership_one_role_per_territory"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.territory})"
