import pytest

from essaim.support.enums import BookingStatus
from tests.support.factories import BookingFactory, ReferralFactory


@pytest.mark.django_db
def test_the_factories_build_a_booking_on_its_range_and_a_referral_of_one_territory():
    booking = BookingFactory()
    assert booking.territory_id == booking.opening_range.territory_id == booking.motif.territory_id
    assert booking.status == BookingStatus.BOOKED
    assert (booking.ends_at - booking.starts_at).total_seconds() == 45 * 60
    referral = ReferralFactory()
    assert referral.partner.territory_id == referral.project.territory_id
