import pytest

from spareplan.config import PlanConfig, load_config
from spareplan.errors import ConfigError


def test_defaults_without_a_file():
    config = load_config(None)
    assert config.carrying_rate_per_year == 0.25
    assert config.long_lead_time_days == 14
    assert config.safety_stock_quadrants == (1, 2)
    assert config.criticality_map()["v"] is True
    assert config.criticality_map()["d"] is False


def test_file_overrides_only_what_it_sets(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_text(
        'currency = "USD"\nlong_lead_time_days = 21\n'
        '[criticality]\nhigh = ["A"]\nlow = ["B", "C"]\n'
    )
    config = load_config(path)
    assert (config.currency, config.long_lead_time_days) == ("USD", 21.0)
    assert config.carrying_rate_per_year == 0.25
    assert config.criticality_map() == {"a": True, "b": False, "c": False}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("carying_rate_per_year = 0.2\n", "unknown key 'carying_rate_per_year'"),
        ("carrying_rate_per_year = 25\n", "between 0 and 1, got 25.0"),
        ('long_lead_time_days = "two weeks"\n', "long_lead_time_days must be a number"),
        ("safety_stock_quadrants = [1, 5]\n", "may hold only 1, 2, 3 and 4, got [5]"),
        ('history_period = "year"\n', "history_period must be one of"),
        ('[criticality]\nhigh = ["V"]\nlow = ["v"]\n', "both high and low"),
        ("currency = \n", "is not readable TOML"),
    ],
)
def test_bad_configuration_names_key_and_value(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(
        ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        load_config(path)


def test_missing_configuration_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_config_is_a_value_error_for_generic_handlers():
    with pytest.raises(ValueError):
        PlanConfig(carrying_rate_per_year=-0.1)
