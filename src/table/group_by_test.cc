#include "table/group_by.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace saleslake::table {
namespace {

std::vector<std::string_view> Dict(const std::vector<std::string>& s) {
  return {s.begin(), s.end()};
}

TEST(GroupByKernel, DictionaryKeysSumCountAvgMinMax) {
  const std::vector<std::string> brands = {"Apple", "Sony", "Apple2"};
  const auto dict = Dict(brands);
  // rows: Apple 10.00, Sony 2.50, NULL brand 1.00, Apple 0.05, Sony NULL total
  const std::vector<uint32_t> idx = {0, 1, 0, 0, 1};
  const std::vector<uint8_t> brand_valid = {1, 1, 0, 1, 1};
  const std::vector<int64_t> total = {1000, 250, 100, 5, 0};
  const std::vector<uint8_t> total_valid = {1, 1, 1, 1, 0};
  GroupByKernel k({KeyKind::kString}, {{AggOp::kSum},
                                       {AggOp::kCountStar},
                                       {AggOp::kCount},
                                       {AggOp::kAvg},
                                       {AggOp::kMin},
                                       {AggOp::kMax}});
  std::vector<KeyColumn> keys = {KeyColumn::Dictionary(idx.data(), dict, brand_valid.data())};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, {}, idx.size(), &groups);
  ASSERT_EQ(k.num_groups(), 3u);
  const AggInput in = AggInput::Int64(total.data(), total_valid.data());
  for (size_t a = 0; a < k.num_aggs(); ++a) k.Update(a, groups, {}, in);
  const std::vector<uint32_t> order = k.SortedGroups();
  ASSERT_EQ(order.size(), 3u);
  EXPECT_TRUE(k.KeyIsNull(order[0], 0));
  EXPECT_EQ(k.KeyText(order[1], 0), "Apple");
  EXPECT_EQ(k.KeyText(order[2], 0), "Sony");
  const uint32_t apple = order[1], sony = order[2], null = order[0];
  EXPECT_EQ(k.SumInt64(0, apple), 1005);
  EXPECT_EQ(k.SumInt64(0, sony), 250);
  EXPECT_EQ(k.SumInt64(0, null), 100);
  EXPECT_EQ(k.Count(1, sony), 2);  // COUNT(*) counts the NULL total
  EXPECT_EQ(k.Count(2, sony), 1);  // COUNT(total) does not
  // AVG of DECIMAL(18,2): 10.05 / 2 = 5.025 -> 5.03 (half away from zero)
  EXPECT_EQ(k.AverageRounded(3, apple), 503);
  EXPECT_EQ(k.MinMaxInt(4, apple), 5);
  EXPECT_EQ(k.MinMaxInt(5, apple), 1000);
}

TEST(GroupByKernel, AverageRoundsHalfAwayFromZero) {
  const std::vector<int64_t> v = {-1, -2, 1, 2};  // -0.01 -0.02 | 0.01 0.02 (scale 2)
  const std::vector<int32_t> key = {0, 0, 1, 1};
  GroupByKernel k({KeyKind::kInt}, {{AggOp::kAvg}});
  std::vector<KeyColumn> keys = {KeyColumn::Int32(key.data())};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, {}, v.size(), &groups);
  k.Update(0, groups, {}, AggInput::Int64(v.data()));
  const auto order = k.SortedGroups();
  EXPECT_EQ(k.AverageRounded(0, order[0]), -2);      // -0.015 -> -0.02
  EXPECT_EQ(k.AverageRounded(0, order[1]), 2);       // 0.015 -> 0.02
  EXPECT_EQ(k.AverageRounded(0, order[1], 2), 150);  // at two more digits: 0.0150
}

TEST(GroupByKernel, SumOverflowIsDetectedNotWrapped) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  const std::vector<int64_t> v = {big, big, 5, std::numeric_limits<int64_t>::min(), -1};
  const std::vector<int64_t> key = {1, 1, 2, 3, 3};
  GroupByKernel k({KeyKind::kInt}, {{AggOp::kSum}});
  std::vector<KeyColumn> keys = {KeyColumn::Int64(key.data())};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, {}, v.size(), &groups);
  k.Update(0, groups, {}, AggInput::Int64(v.data()));
  const auto order = k.SortedGroups();
  EXPECT_EQ(k.SumInt64(0, order[0]), std::nullopt);
  EXPECT_EQ(k.Sum(0, order[0]), static_cast<__int128>(big) * 2);  // still exact
  EXPECT_EQ(k.SumInt64(0, order[1]), 5);
  EXPECT_EQ(k.SumInt64(0, order[2]), std::nullopt);  // below INT64_MIN
}

TEST(GroupByKernel, SelectedRowsWideIntsAndStrings) {
  // Integers too far apart for the dense path, and plain strings: the hash path.
  const std::vector<int64_t> day = {0, 1000000000, 0, 1000000000, 7};
  const std::vector<std::string> s = {"b", "a", "b", "a", "zz"};
  const std::vector<std::string_view> views(s.begin(), s.end());
  const std::vector<int64_t> v = {1, 2, 3, 4, 100};
  const std::vector<uint32_t> rows = {0, 1, 2, 3};  // row 4 filtered out
  GroupByKernel k({KeyKind::kInt, KeyKind::kString}, {{AggOp::kSum}, {AggOp::kMinString}});
  std::vector<KeyColumn> keys = {KeyColumn::Int64(day.data()), KeyColumn::Strings(views.data())};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, rows, 0, &groups);
  ASSERT_EQ(groups.size(), 4u);
  k.Update(0, groups, rows, AggInput::Int64(v.data()));
  AggInput text;
  text.strings = views.data();
  k.Update(1, groups, rows, text);
  const auto order = k.SortedGroups();
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(k.KeyInt(order[0], 0), 0);
  EXPECT_EQ(k.KeyText(order[0], 1), "b");
  EXPECT_EQ(k.SumInt64(0, order[0]), 4);
  EXPECT_EQ(k.SumInt64(0, order[1]), 6);
  EXPECT_EQ(k.MinMaxText(1, order[1]), "a");
}

TEST(GroupByKernel, ConstantKeysAndNoKeys) {
  const std::vector<int64_t> v = {1, 2, 3};
  GroupByKernel none({}, {{AggOp::kSum}, {AggOp::kCountStar}});
  std::vector<uint32_t> groups;
  none.FindGroups({}, {}, v.size(), &groups);
  none.Update(0, groups, {}, AggInput::Int64(v.data()));
  none.Update(1, groups, {}, {});
  EXPECT_EQ(none.num_groups(), 1u);
  EXPECT_EQ(none.SumInt64(0, 0), 6);
  EXPECT_EQ(none.Count(1, 0), 3);

  GroupByKernel k({KeyKind::kString, KeyKind::kInt}, {{AggOp::kSum}});
  std::vector<KeyColumn> keys = {KeyColumn::ConstantText("2026"), KeyColumn::Null()};
  k.FindGroups(keys, {}, v.size(), &groups);
  k.Update(0, groups, {}, AggInput::Int64(v.data()));
  ASSERT_EQ(k.num_groups(), 1u);
  EXPECT_EQ(k.KeyText(0, 0), "2026");
  EXPECT_TRUE(k.KeyIsNull(0, 1));
  EXPECT_EQ(k.SumInt64(0, 0), 6);
}

// Split the same rows among "threads" in any way: merged, the answer is the same.
TEST(GroupByKernel, MergedPartialsEqualOnePass) {
  const std::vector<std::string> names = {"x", "y", "z", "w"};
  const auto dict = Dict(names);
  std::vector<uint32_t> idx;
  std::vector<int64_t> v;
  std::vector<uint8_t> valid;
  for (uint32_t i = 0; i < 1000; ++i) {
    idx.push_back((i * 7) % 4);
    v.push_back(static_cast<int64_t>(i * 13 % 101) - 50);
    valid.push_back(i % 17 != 0);
  }
  auto aggregate = [&](GroupByKernel& k, size_t from, size_t to) {
    std::vector<uint32_t> rows, groups;
    for (size_t i = from; i < to; ++i) rows.push_back(static_cast<uint32_t>(i));
    std::vector<KeyColumn> keys = {KeyColumn::Dictionary(idx.data(), dict)};
    k.FindGroups(keys, rows, 0, &groups);
    for (size_t a = 0; a < k.num_aggs(); ++a) {
      k.Update(a, groups, rows, AggInput::Int64(v.data(), valid.data()));
    }
  };
  const std::vector<AggSpec> aggs = {
      {AggOp::kSum}, {AggOp::kCount}, {AggOp::kMin}, {AggOp::kMax}, {AggOp::kAvg}};
  GroupByKernel one({KeyKind::kString}, aggs);
  aggregate(one, 0, 1000);
  GroupByKernel a({KeyKind::kString}, aggs), b({KeyKind::kString}, aggs),
      c({KeyKind::kString}, aggs);
  aggregate(a, 600, 1000);  // starts with other keys first
  aggregate(b, 0, 3);
  aggregate(c, 3, 600);
  a.Merge(b);
  a.Merge(c);
  const auto x = one.SortedGroups(), y = a.SortedGroups();
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(one.KeyText(x[i], 0), a.KeyText(y[i], 0));
    EXPECT_EQ(one.SumInt64(0, x[i]), a.SumInt64(0, y[i]));
    EXPECT_EQ(one.Count(1, x[i]), a.Count(1, y[i]));
    EXPECT_EQ(one.MinMaxInt(2, x[i]), a.MinMaxInt(2, y[i]));
    EXPECT_EQ(one.MinMaxInt(3, x[i]), a.MinMaxInt(3, y[i]));
    EXPECT_EQ(one.AverageRounded(4, x[i]), a.AverageRounded(4, y[i]));
  }
}

TEST(GroupByKernel, ManyGroupsGrowTheTable) {
  std::vector<int64_t> key, v;
  for (int64_t i = 0; i < 100000; ++i) {
    key.push_back(i * 1000003 % 200003);
    v.push_back(1);
  }
  GroupByKernel k({KeyKind::kInt}, {{AggOp::kSum}});
  std::vector<KeyColumn> keys = {KeyColumn::Int64(key.data())};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, {}, key.size(), &groups);
  k.Update(0, groups, {}, AggInput::Int64(v.data()));
  EXPECT_EQ(k.num_groups(), 100000u);
  const auto order = k.SortedGroups();
  for (size_t i = 1; i < order.size(); ++i) {
    ASSERT_LT(k.KeyInt(order[i - 1], 0), k.KeyInt(order[i], 0));
  }
}

}  // namespace
}  // namespace saleslake::table

namespace saleslake::table {
namespace {

// Two large dictionaries, few rows: the codes met go through the per-batch code map.
TEST(GroupByKernel, WideDictionaryCodesThroughTheCodeMap) {
  std::vector<std::string> a, b;
  for (int i = 0; i < 400; ++i) {
    a.push_back("a" + std::to_string(i));
    b.push_back("b" + std::to_string(i));
  }
  const auto da = Dict(a), db = Dict(b);
  std::vector<uint32_t> ia, ib;
  std::vector<int64_t> v;
  for (uint32_t i = 0; i < 300; ++i) {
    ia.push_back(i % 7 * 50);
    ib.push_back(i % 5 * 70);
    v.push_back(i);
  }
  GroupByKernel k({KeyKind::kString, KeyKind::kString}, {{AggOp::kSum}, {AggOp::kCountStar}});
  std::vector<KeyColumn> keys = {KeyColumn::Dictionary(ia.data(), da),
                                 KeyColumn::Dictionary(ib.data(), db)};
  std::vector<uint32_t> groups;
  k.FindGroups(keys, {}, v.size(), &groups);
  k.Update(0, groups, {}, AggInput::Int64(v.data()));
  k.Update(1, groups, {}, {});
  EXPECT_EQ(k.num_groups(), 35u);  // 7 x 5 combinations, all met in 300 rows
  int64_t total = 0, rows = 0;
  for (uint32_t g = 0; g < k.num_groups(); ++g) {
    total += *k.SumInt64(0, g);
    rows += k.Count(1, g);
  }
  EXPECT_EQ(total, 299 * 300 / 2);
  EXPECT_EQ(rows, 300);
  const auto order = k.SortedGroups();
  EXPECT_EQ(k.KeyText(order[0], 0), "a0");
  EXPECT_EQ(k.KeyText(order[0], 1), "b0");
  // Row 0 is (a0, b0): its group holds rows 0, 35, 70, ...
  EXPECT_EQ(groups[0], groups[35]);
  EXPECT_NE(groups[0], groups[1]);
}

}  // namespace
}  // namespace saleslake::table
