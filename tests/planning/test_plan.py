import math

import polars as pl
import pytest

from spareplan import PLAN_COLUMNS, PlanConfig, plan_files, write_example
from spareplan.config import DemandConfig


def test_plans_every_real_carpart_including_series_that_end_early(carparts):
    catalogue_path, history_path = carparts
    plan = plan_files(catalogue_path, history_path)
    table = plan.table
    assert table.height == 2674
    assert table.columns == list(PLAN_COLUMNS)
    assert (table["usage_source"] == "history").all()
    assert (table["n_history_periods"] < 51).sum() == 165
    optional_inputs = (
        "order_cost",
        "failures_per_year",
        "emergency_premium",
        "emergency_lead_time_days",
        "min_units",
        "max_units",
        "fabrication_lead_time_days",
        "fabrication_unit_cost",
        "on_demand_cost_per_year",
    )
    nulls = table.select(pl.all().exclude(*optional_inputs, "cv2").null_count())
    assert nulls.sum_horizontal().item() == 0
    # CV2 needs two demands; the series with fewer are the only ones without it.
    no_cv2 = table.filter(pl.col("cv2").is_null())
    assert no_cv2.height > 0
    assert (no_cv2["demand_class"] == "intermittent").all()
    assert plan.warnings == ()
    assert sum(plan.summary.parts_per_quadrant.values()) == 2674


def test_carpart_row_matches_hand_calculation(carparts):
    # Part 21029627 at DC-1: E (high), lead time 1 day (max 2), 94.27 a unit,
    # 1,169 an hour of downtime. History: 3 units over 14 recorded months
    # (Jan-98..Feb-99 = 365 + 31 + 28 = 424 days), busiest month Jul-98 with 2
    # units in 31 days.
    #   average 3/424 = 0.0070755 a day, maximum 2/31 = 0.0645161 a day
    #   rule-of-thumb SS = 2 x 2/31 - 1 x 3/424 = 0.1219540 (quadrant 2 holds it)
    #   reorder point = ceil(3/424 + 0.1219540) = ceil(0.1290295) = 1, so the
    #   safety stock held is 1 - 3/424 = 0.9929245; Q covers 30 days (0.21) -> 1;
    #   max 2
    #   expected on hand = 1 - 3/424 + (1 + 1)/2 = 1.9929245
    #   carrying if stocked = 0.25 x 94.27 x 1.9929245 = 46.9682
    #   exposure = 1,169 x 1 x 24 = 28,056 > 46.97 -> stock
    catalogue_path, history_path = carparts
    config = PlanConfig(demand=DemandConfig(safety_stock_method="rule_of_thumb"))
    table = plan_files(catalogue_path, history_path, config).table
    row = table.filter(pl.col("part_id") == "21029627").row(0, named=True)
    assert row["usage_per_day_avg"] == pytest.approx(3 / 424)
    assert row["usage_per_day_max"] == pytest.approx(2 / 31)
    assert row["safety_stock_rule_of_thumb"] == pytest.approx(4 / 31 - 3 / 424)
    assert (row["quadrant"], row["strategy"]) == (2, "predictive_jit")
    assert row["stock_decision"] == "stock"
    assert row["safety_stock"] == pytest.approx(1 - 3 / 424, abs=1e-3)
    assert (row["reorder_point"], row["order_quantity"], row["order_up_to"]) == (
        1,
        1,
        2,
    )
    assert row["downtime_exposure"] == pytest.approx(28_056.0)
    assert row["carrying_cost_if_stocked"] == pytest.approx(46.9682, abs=1e-4)
    assert row["stock_value"] == pytest.approx(94.27 * (2 - 3 / 424))
    assert "28,056 EUR of downtime" in row["reason"]
    assert "46.97 EUR a year" in row["reason"]


def test_carpart_demand_driven_row_matches_hand_calculation(carparts):
    # The same part, planned from its demand pattern (defaults).
    # Series Jan-98..Feb-99: 0 0 0 0 0 0 2 0 0 0 0 0 0 1 (14 recorded periods).
    #   ADI = 14 / 2 = 7; sizes 2 and 1: CV2 = 0.25 / 1.5^2 = 0.1111 -> intermittent
    #   SBA (alpha 0.1): size 2 -> 2 + 0.1 (1 - 2) = 1.9, interval 7 -> 7,
    #     forecast = 0.95 x 1.9 / 7 = 0.2578571 per period
    #   days per period = 1,551 days / 51 months = 30.411765
    #   demand per day = 0.2578571 / 30.411765 = 0.0084788
    #   lead-time demand mean over 1 day = 0.0084788 -> Poisson (intermittent)
    #   target 0.95 (E): P(X <= 0) = exp(-0.0084788) = 0.991557 >= 0.95 -> r = 0
    #   Downtime cost model: backorder cost b = 1,169 x 8,760 a unit-year, holding
    #   h = 0.25 x 94.27 = 23.5675; the optimal base stock is the smallest S with
    #   P(X <= S) >= b / (b + h) (newsvendor critical ratio, Axsaeter 2015), here
    #   S* = 2 (P(X <= 1) = 0.999964 falls short of 0.9999977), so the shelf holds
    #   2: r = S* - 1 = 1, Q = ceil(30 x 0.0084788) = 1, order-up-to 2.
    #   expected on hand = 1 - 0.0084788 + 1 = 1.9915212
    #   fill rate = 1 - E[(X - 1)^+] / Q
    scipy_stats = pytest.importorskip("scipy.stats")
    catalogue_path, history_path = carparts
    table = plan_files(catalogue_path, history_path).table
    row = table.filter(pl.col("part_id") == "21029627").row(0, named=True)
    demand_per_day = 0.95 * 1.9 / 7 / (1551 / 51)
    assert row["demand_class"] == "intermittent"
    assert row["adi"] == pytest.approx(7.0)
    assert row["cv2"] == pytest.approx(0.25 / 2.25)
    assert row["forecast_method"] == "sba"
    assert row["forecast_per_period"] == pytest.approx(0.95 * 1.9 / 7)
    assert row["demand_per_day"] == pytest.approx(demand_per_day)
    assert row["method"] == "poisson"
    assert row["service_target"] == 0.95
    mean = demand_per_day  # over the 1-day lead time
    ratio = 1169 * 8760 / (1169 * 8760 + 0.25 * 94.27)
    assert scipy_stats.poisson.cdf(1, mean) < ratio <= scipy_stats.poisson.cdf(2, mean)
    assert row["cost_optimal_units"] == 2
    levels = (row["reorder_point"], row["order_quantity"], row["order_up_to"])
    assert levels == (1, 1, 2)
    assert row["safety_stock"] == pytest.approx(1 - mean, abs=1e-3)
    assert row["expected_cycle_service_level"] == pytest.approx(
        scipy_stats.poisson.cdf(1, mean)
    )
    loss = mean - 1 + scipy_stats.poisson.pmf(0, mean)  # E[(X - 1)^+]
    assert row["expected_fill_rate"] == pytest.approx(1 - loss)
    assert row["stock_value"] == pytest.approx(94.27 * (2 - mean))
    # The rule of thumb would hold 2 - 3/424 units on average (see above).
    assert row["stock_value_rule_of_thumb"] == pytest.approx(94.27 * (2 - 3 / 424))


def test_history_takes_precedence_over_usage_columns_and_warns_without_either(
    write_csv,
):
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,usage_per_day_avg\n"
        "P1,A,10,V,3,5\nP2,A,10,V,3,0.5\nP3,A,10,V,3,\n"
    )
    history = write_csv("part_id,site_id,Jan-24\nP1,A,31\nP9,A,1\n", "usage.csv")
    plan = plan_files(catalogue, history)
    table = plan.table
    assert table["usage_source"].to_list() == ["history", "catalogue", "none"]
    assert table["usage_per_day_avg"].to_list() == [1.0, 0.5, 0.0]
    messages = [str(w) for w in plan.warnings]
    assert any("1 series match no catalogue row" in m and "'P9'" in m for m in messages)
    assert any("row 4, part 'P3', site 'A': no usage history" in m for m in messages)


def test_configuration_changes_the_plan(write_csv):
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,lead_time_days_max,"
        "downtime_cost_per_hour,usage_per_day_avg,usage_per_day_max\n"
        "P1,A,100,D,20,30,100,1,2\n"
    )
    rule_of_thumb = DemandConfig(safety_stock_method="rule_of_thumb")
    config = PlanConfig(demand=rule_of_thumb)
    default = plan_files(catalogue, config=config).table.row(0, named=True)
    assert (default["quadrant"], default["safety_stock"]) == (3, 0)
    config = PlanConfig(
        long_lead_time_days=30, safety_stock_quadrants=(1, 2, 4), demand=rule_of_thumb
    )
    changed = plan_files(catalogue, config=config).table.row(0, named=True)
    # 20 days is now short: quadrant 4, which now holds SS 30 x 2 - 20 x 1 = 40.
    assert (changed["quadrant"], changed["safety_stock"]) == (4, 40)


def test_bundled_example_plans_three_sites(tmp_path):
    catalogue, history, config_path = write_example(tmp_path)
    from spareplan import load_config

    plan = plan_files(catalogue, history, load_config(config_path))
    assert 200 <= plan.table.height <= 500
    assert plan.summary.n_sites == 3
    assert set(plan.table["strategy"]) == {
        "strategic_stock",
        "predictive_jit",
        "digital_on_demand",
        "consolidated_jit",
    }
    assert "stock" in set(plan.table["stock_decision"])
    assert plan.warnings == ()


def test_example_is_reproducible(tmp_path):
    first = write_example(tmp_path / "a")
    second = write_example(tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_part_without_history_gets_negative_binomial_with_lead_time_spread(write_csv):
    # 2 a day (Poisson from day to day), lead time 5 days, worst 12: lead-time sd
    # (12 - 5) / 2 = 3.5 days. Mean 2 x 5 = 10; variance 5 x 2 + 2^2 x 3.5^2 = 59.
    # Negative binomial by moments: n = 10^2 / (59 - 10), p = 10 / 59. The reorder
    # point for the vital target 0.99 is scipy's 0.99 quantile of that law.
    scipy_stats = pytest.importorskip("scipy.stats")
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,lead_time_days_max,"
        "downtime_cost_per_hour,usage_per_day_avg,usage_per_day_max\n"
        "P1,A,100,V,5,12,1000,2,5\n"
    )
    row = plan_files(catalogue).table.row(0, named=True)
    n, p = 10**2 / (59 - 10), 10 / 59
    expected = int(scipy_stats.nbinom.ppf(0.99, n, p))
    assert scipy_stats.nbinom.cdf(expected, n, p) >= 0.99
    assert scipy_stats.nbinom.cdf(expected - 1, n, p) < 0.99
    assert (row["demand_class"], row["method"]) == ("too_short", "negative_binomial")
    assert row["lead_time_demand_sd"] == pytest.approx(math.sqrt(59))
    # The downtime cost model (b = 1,000 x 8,760, h = 25) wants the smallest S
    # with P(X <= S) >= b / (b + h) on the shelf, which raises r to S* - 1.
    ratio = 1000 * 8760 / (1000 * 8760 + 25)
    optimal = int(scipy_stats.nbinom.ppf(ratio, n, p))
    assert row["cost_optimal_units"] == optimal
    assert row["reorder_point"] == max(expected, optimal - 1)
    assert row["safety_stock"] == pytest.approx(row["reorder_point"] - 10)
    assert row["expected_cycle_service_level"] == pytest.approx(
        scipy_stats.nbinom.cdf(row["reorder_point"], n, p)
    )
    assert (
        "units held one for one minimise the expected cost of downtime" in row["reason"]
    )


def test_blank_history_row_falls_back_to_catalogue_usage(write_csv):
    # The wide history lists P1 with no recorded month: no history at all, so the
    # catalogue's 2 a day stands (it must not become zero demand).
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,"
        "downtime_cost_per_hour,usage_per_day_avg\nP1,A,100,V,30,500,2\n"
    )
    history = write_csv("part_id,site_id,Jan-24,Feb-24\nP1,A,,\n", "usage.csv")
    row = plan_files(catalogue, history).table.row(0, named=True)
    assert row["usage_source"] == "catalogue"
    assert row["demand_per_day"] == 2.0
    assert row["lead_time_demand"] == 60.0
    assert row["stock_decision"] == "stock"


def test_unknown_downtime_cost_holds_critical_parts_to_their_target(write_csv):
    # No downtime column: economics cannot decide. The vital part (2 a day) is held
    # to its 0.99 target; the desirable part without use is not held; a warning
    # says why.
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,usage_per_day_avg\n"
        "P1,A,100,V,10,2\nP2,A,100,D,10,0\n"
    )
    plan = plan_files(catalogue)
    first, second = plan.table.iter_rows(named=True)
    assert first["stock_decision"] == "stock" and first["service_target"] == 0.99
    assert first["expected_cycle_service_level"] >= 0.99
    assert second["stock_decision"] == "jit"
    assert first["downtime_exposure"] is None
    assert "no downtime cost is given" in first["reason"]
    assert any("2 part-sites have no downtime cost" in str(w) for w in plan.warnings)


def test_digital_parts_are_fabricated_on_demand_when_cheaper(write_csv):
    # Three quadrant-3 parts (D, 30-day lead time), 12 uses a year, unit cost 200,
    # carrying 25 % (50 a unit-year):
    #   P1: model, fabricated for 201 in 1 day, downtime 0.1 an hour. On demand:
    #       (201 - 200) x 12 + 12 x 1 x 24 x 0.1 = 12 + 28.8 = 40.8 a year, below
    #       the 50 a year of even one unit on the shelf: fabricate, hold nothing.
    #   P2: model, but 60 days to make at 2 an hour of downtime:
    #       12 + 12 x 60 x 24 x 2 = 34,572 a year: hold stock.
    #   P3: no model: flagged.
    catalogue = write_csv(
        "part_id,site_id,unit_cost,criticality,lead_time_days,downtime_cost_per_hour,"
        "usage_per_day_avg,has_digital_model,fabrication_lead_time_days,"
        "fabrication_unit_cost\n"
        f"P1,A,200,D,30,0.1,{12 / 365},yes,1,201\n"
        f"P2,A,200,D,30,2,{12 / 365},yes,60,201\n"
        f"P3,A,200,D,30,2,{12 / 365},no,,\n"
    )
    table = plan_files(catalogue).table
    rows = {row["part_id"]: row for row in table.iter_rows(named=True)}
    p1, p2, p3 = rows["P1"], rows["P2"], rows["P3"]
    assert p1["on_demand_cost_per_year"] == pytest.approx(40.8)
    assert p1["digital_state"] == "fabricate_on_demand"
    assert (p1["reorder_point"], p1["order_up_to"], p1["stock_value"]) == (0, 0, 0)
    assert p1["stock_decision"] == "jit"
    assert "fabricate each demand, because that costs 40.80 EUR a year" in p1["reason"]
    assert p2["on_demand_cost_per_year"] == pytest.approx(12 + 12 * 60 * 24 * 2)
    assert p2["digital_state"] == "hold_stock"
    assert p2["order_up_to"] > 0
    assert p3["digital_state"] == "needs_digital_model"
    assert "No verified digital model" in p3["reason"]
