import pytest

from operator_tui.core.phones import PhoneError, normalize_phone


@pytest.mark.parametrize(
    ("text", "e164", "zone"),
    [
        ("+7 495 222-33-44", "+74952223344", "Europe/Moscow"),
        ("8 (4012) 12-34-56", "+74012123456", "Europe/Kaliningrad"),  # not phonenumbers' Europe/Bucharest
        ("+7 423 212-34-56", "+74232123456", "Asia/Vladivostok"),
        ("+7 343 212-34-56", "+73432123456", "Asia/Yekaterinburg"),
        ("+1 415 555 2671", "+14155552671", "America/Los_Angeles"),
    ],
)
def test_normalises_to_e164_with_the_zone(text, e164, zone):
    phone = normalize_phone(text)
    assert (phone.e164, phone.time_zone, phone.time_zone_guessed) == (e164, zone, False)


def test_a_mobile_spanning_many_zones_gets_a_marked_guess():
    phone = normalize_phone("+7 916 123-45-67")
    assert phone.time_zone == "Europe/Moscow"
    assert phone.time_zone_guessed


@pytest.mark.parametrize("text", ["", "hello", "+7 123", "12345678901234567"])
def test_bad_numbers_are_refused(text):
    with pytest.raises(PhoneError):
        normalize_phone(text)
