"""Factories of the pooling tests (group purchases, bookings)."""

import datetime

import factory
from django.utils import timezone

from essaim.club.models import GroupPurchase
from tests.club.factories import MemberFactory


class GroupPurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupPurchase

    club = factory.SelfAttribute("proposer.club")
    proposer = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Café bio et équitable n° {n}")
    unit_label = "kg"
    unit_price = 18
    minimum_quantity = 20
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
