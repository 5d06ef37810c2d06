import factory

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User

PASSWORD = "un-mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@essaim.example")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        network_admin = factory.Trait(is_network_admin=True)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """The address is confirmed, as every account that may act; ``UserFactory(verified=False)`` for one that
        has just signed up."""
        if not create:
            return
        if extracted is False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=obj, email=obj.email, verified=False, primary=True)
        else:
            from essaim.accounts.services import user_verify_email

            user_verify_email(user=obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    territory = factory.SubFactory("tests.territories.factories.TerritoryFactory")
    role = Role.OFFICER

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        commission = factory.Trait(role=Role.COMMISSION)
        elected = factory.Trait(role=Role.ELECTED)
