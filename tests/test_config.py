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


def test_demand_table_and_service_targets(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_text(
        '[demand]\nservice_measure = "fill_rate"\nalpha_size = 0.2\n'
        "min_history_periods = 12\n[service_targets]\nV = 0.995\nB = 0.8\n"
    )
    config = load_config(path)
    assert config.demand.service_measure == "fill_rate"
    assert config.demand.alpha_size == 0.2
    assert config.demand.min_history_periods == 12
    targets = config.service_target_map()
    assert targets["v"] == 0.995 and targets["b"] == 0.8
    assert targets["e"] == 0.95  # default kept
    assert targets["high"] == 0.95 and targets["low"] == 0.90  # by class


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[demand]\nservice_measure = "fillrate"\n',
            "demand.service_measure must be one of",
        ),
        (
            "[demand]\nalpha_size = 0\n",
            r"demand.alpha_size must be in \(0, 1\], got 0.0",
        ),
        ("[demand]\nmin_history_periods = 2.5\n", "must be a whole number, got 2.5"),
        ("[demand]\nsmoothing = 0.1\n", "unknown key 'demand.smoothing'"),
        (
            "[service_targets]\nv = 99\n",
            "service_targets.v must be a fraction strictly",
        ),
    ],
)
def test_bad_demand_settings_are_named(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_every_bad_setting_is_reported_at_once(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        "order_cover_days = -1\ncarrying_rate_per_year = 25\n"
        'currency = 3\n[demand]\nalpha_size = 2\nservice_measure = "x"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "currency must be a text, got 3" in message
    path.write_text(
        "order_cover_days = -1\ncarrying_rate_per_year = 25\n"
        '[demand]\nalpha_size = 2\nservice_measure = "x"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    for part in (
        "order_cover_days must be > 0",
        "carrying_rate_per_year must be between 0 and 1",
        "demand.alpha_size must be in (0, 1]",
        "demand.service_measure must be one of",
    ):
        assert part in message


def test_one_sided_criticality_keeps_the_other_defaults(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_text('[criticality]\nhigh = ["V", "D"]\n')
    mapping = load_config(path).criticality_map()
    assert mapping["d"] is True and mapping["v"] is True
    assert mapping["low"] is False and "e" not in mapping


def test_configuration_with_byte_order_mark(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_bytes('\ufeffcurrency = "USD"\n'.encode())
    assert load_config(path).currency == "USD"


def test_empty_criticality_table_keeps_defaults(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_text("[criticality]\n")
    assert load_config(path).criticality_map()["v"] is True


def test_pooling_table(tmp_path):
    path = tmp_path / "spareplan.toml"
    path.write_text(
        '[pooling]\ndefault_transfer_hours = 8\nstockout_wait = "lead_time"\n'
    )
    config = load_config(path)
    assert config.pooling.default_transfer_hours == 8.0
    assert config.pooling.stockout_wait == "lead_time"
    path.write_text("[pooling]\ndefault_transfer_hours = -1\n")
    with pytest.raises(ConfigError, match="default_transfer_hours must be >= 0 hours"):
        load_config(path)
