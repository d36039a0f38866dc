import pytest
from django.core.exceptions import ValidationError

from lianxin.core import privacy
from lianxin.core.logging import redact
from lianxin.core.validators import normalise_id_number, normalise_phone
from lianxin.testing.factories import synthetic_id


def test_sealed_value_opens_to_the_same_number_and_differs_each_time():
    first, second = privacy.seal("13800138000"), privacy.seal("13800138000")
    assert first != second
    assert "13800138000" not in first
    assert privacy.unseal(first) == privacy.unseal(second) == "13800138000"


def test_blind_index_is_stable_and_separates_purposes():
    phone = privacy.blind_index("13800138000", purpose=privacy.PHONE)
    assert phone == privacy.blind_index("13800138000", purpose=privacy.PHONE)
    assert phone != privacy.blind_index("13800138000", purpose=privacy.ID_NUMBER)


def test_masks_keep_only_the_ends():
    assert privacy.mask_phone("13800138000") == "138****8000"
    assert privacy.mask_id_number("11010819600504123X") == "1101**********123X"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("010-62345678", "01062345678"),
        ("(0571) 8765 4321", "057187654321"),
    ],
)
def test_mainland_mobiles_and_landlines_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1380013800", "+1 212 555 0100", "abc"])
def test_other_numbers_are_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(raw)
    assert exc.value.messages[0]


def test_id_number_gives_its_birth_date():
    number, birth = normalise_id_number(synthetic_id())
    assert birth.isoformat() == "1960-05-04"
    assert number[6:14] == "19600504"


def test_id_number_with_a_wrong_check_digit_is_refused():
    good = synthetic_id()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(ValidationError) as exc:
        normalise_id_number(bad)
    assert exc.value.code == "id_checksum"


def test_id_number_with_an_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalise_id_number("110108" + "19601332" + "1234")
    assert exc.value.code in {"id_component", "id_checksum"}


def test_logs_never_carry_whole_numbers():
    line = redact("called 13800138000 about 11010819600504123X")
    assert "13800138000" not in line and "11010819600504123X" not in line
    assert "138****8000" in line


def test_values_sealed_with_fernet_earlier_still_open(settings):
    from cryptography.fernet import Fernet

    legacy = Fernet(settings.LIANXIN_FIELD_KEYS[0]).encrypt(b"13800138000").decode()
    assert privacy.unseal(legacy) == "13800138000"


def test_a_rotated_key_still_opens_what_the_old_key_sealed(settings):
    from cryptography.fernet import Fernet

    old = privacy.seal("13800138000")
    settings.LIANXIN_FIELD_KEYS = [Fernet.generate_key().decode(), *settings.LIANXIN_FIELD_KEYS]
    new = privacy.seal("13900139000")
    assert privacy.unseal(old) == "13800138000" and privacy.unseal(new) == "13900139000"
    settings.LIANXIN_FIELD_KEYS = settings.LIANXIN_FIELD_KEYS[1:]
    with pytest.raises(privacy.SealBroken):
        privacy.unseal(new)


def test_an_altered_sealed_value_is_refused():
    import base64

    sealed = privacy.seal("13800138000")
    blob = bytearray(base64.urlsafe_b64decode(sealed[3:]))
    blob[-1] ^= 1
    with pytest.raises(privacy.SealBroken):
        privacy.unseal("v2:" + base64.urlsafe_b64encode(bytes(blob)).decode())
