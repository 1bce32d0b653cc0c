import pytest

from operator_tui.core.phones import PhoneError, callable_phones, mark_wrong, marked_phones, normalize_phone, wrong_set


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


def test_numbers_found_wrong_are_left_out_and_forgotten_once_replaced():
    phones = ["+74950000001", "+74950000002"]
    assert callable_phones(phones, None) == phones
    marked = mark_wrong(phones, None, "+74950000001")
    assert marked == "+74950000001"
    assert callable_phones(phones, marked) == ["+74950000002"]
    assert marked_phones(phones, marked) == ["+74950000001"] and marked_phones(phones, None) == []
    both = mark_wrong(phones, marked, "+74950000002")
    assert callable_phones(phones, both) == [] and wrong_set(both) == set(phones)
    # The main number replaced by a new one: the old mark goes, the new number is good.
    renewed = ["+74950000009", "+74950000002"]
    assert callable_phones(renewed, both) == ["+74950000009"]
    assert marked_phones(renewed, both) == ["+74950000002"]  # a mark of a number they no longer have is not theirs
    assert mark_wrong(renewed, both, "+74950000009") == "+74950000009 +74950000002"
    assert callable_phones([None, "+74950000002"], None) == ["+74950000002"]
