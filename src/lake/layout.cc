#include "lake/layout.h"

#include <fmt/format.h>

#include <charconv>

#include "io/path.h"

namespace saleslake::lake {
namespace {

constexpr std::string_view kCheckpointName = "_checkpoint.json";
constexpr std::string_view kPendingPrefix = "_pending-";
constexpr std::string_view kPendingSuffix = ".pending";

Result<int> ParseKeyValue(std::string_view part, std::string_view key, size_t digits) {
  if (part.size() != key.size() + 1 + digits || part.substr(0, key.size()) != key ||
      part[key.size()] != '=') {
    return Status::InvalidArgument(
        fmt::format("expected {}=<{} digits>, got '{}'", key, digits, part));
  }
  int value = 0;
  std::string_view num = part.substr(key.size() + 1);
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
  if (ec != std::errc() || ptr != num.data() + num.size()) {
    return Status::InvalidArgument(fmt::format("'{}' is not a number in '{}'", num, part));
  }
  return value;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool IsPartitionComponent(std::string_view part) {
  size_t eq = part.find('=');
  return eq != std::string_view::npos && eq > 0;
}

bool ParseInt(std::string_view text, int32_t* out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

std::string PartitionName(CivilDate date) {
  return fmt::format("year={:04d}/month={:02d}/day={:02d}", date.year, date.month, date.day);
}

std::string PartitionPath(std::string_view table, CivilDate date) {
  return io::JoinPath(table, PartitionName(date));
}

CivilDate UtcDateOf(int64_t micros) {
  constexpr int64_t kMicrosPerDay = 86'400LL * 1'000'000;
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;  // floor, for instants before 1970
  return CivilFromDays(days);
}

Result<CivilDate> ParsePartitionName(std::string_view partition) {
  const size_t a = partition.find('/');
  const size_t b = a == std::string_view::npos ? a : partition.find('/', a + 1);
  if (b == std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("partition '{}' is not year=YYYY/month=MM/day=DD", partition));
  }
  SL_ASSIGN_OR_RETURN(int year, ParseKeyValue(partition.substr(0, a), "year", 4));
  SL_ASSIGN_OR_RETURN(int month, ParseKeyValue(partition.substr(a + 1, b - a - 1), "month", 2));
  SL_ASSIGN_OR_RETURN(int day, ParseKeyValue(partition.substr(b + 1), "day", 2));
  CivilDate date{year, month, day};
  const CivilDate round_trip = CivilFromDays(DaysFromCivil(date));
  if (round_trip.year != year || round_trip.month != month || round_trip.day != day) {
    return Status::InvalidArgument(fmt::format("partition '{}' is not a real date", partition));
  }
  return date;
}

std::string BatchFileName(std::string_view batch_id) {
  return fmt::format("batch-{}.parquet", batch_id);
}

std::string RawBatchPath(CivilDate ingestion_date, std::string_view batch_id) {
  return io::JoinPath(PartitionPath(kRawSalesTable, ingestion_date), BatchFileName(batch_id));
}

std::string PendingPath(std::string_view final_path) {
  std::string_view dir = io::ParentPath(final_path);
  std::string base(kPendingPrefix);
  base += io::BaseName(final_path);
  base += kPendingSuffix;
  return io::JoinPath(dir, base);
}

bool IsPendingName(std::string_view base) {
  return base.size() > kPendingPrefix.size() + kPendingSuffix.size() &&
         base.substr(0, kPendingPrefix.size()) == kPendingPrefix &&
         base.substr(base.size() - kPendingSuffix.size()) == kPendingSuffix;
}

std::string CommitPath(uint64_t seq) { return fmt::format("{}/{:020}.json", kLedgerDir, seq); }

uint64_t SeqFromCommitName(std::string_view name) {
  if (name.size() != 25 || name.substr(20) != ".json") return 0;
  uint64_t seq = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 20, seq);
  if (ec != std::errc() || ptr != name.data() + 20) return 0;
  return seq;
}

std::string CheckpointPath() { return io::JoinPath(kLedgerDir, kCheckpointName); }

bool IsInDataLayer(std::string_view path) {
  for (std::string_view layer : kDataLayers) {
    if (io::IsInside(path, layer)) return true;
  }
  return false;
}

std::optional<DataPath> ParseDataPath(std::string_view path) {
  std::vector<std::string_view> parts = SplitPath(path);
  if (parts.size() < 3) return std::nullopt;  // layer, table folder, file
  bool layer_ok = false;
  for (std::string_view layer : kDataLayers) layer_ok = layer_ok || parts[0] == layer;
  if (!layer_ok) return std::nullopt;
  std::string_view file = parts.back();
  if (file.size() <= 8 || file.substr(file.size() - 8) != ".parquet") return std::nullopt;
  for (std::string_view part : parts) {
    if (part.front() == '_' || part.front() == '.') return std::nullopt;
  }
  DataPath out;
  out.layer = std::string(parts[0]);
  out.location = out.layer;
  size_t i = 1;
  for (; i + 1 < parts.size() && !IsPartitionComponent(parts[i]); ++i) {
    out.location += '/';
    out.location += parts[i];
  }
  if (i == 1) return std::nullopt;  // a file directly under the layer belongs to no table
  for (; i + 1 < parts.size(); ++i) {
    if (!IsPartitionComponent(parts[i])) return std::nullopt;
    if (!out.partition.empty()) out.partition += '/';
    out.partition += parts[i];
    size_t eq = parts[i].find('=');
    out.partition_values.emplace_back(std::string(parts[i].substr(0, eq)),
                                      std::string(parts[i].substr(eq + 1)));
  }
  return out;
}

std::string TableNameFor(std::string_view location) {
  std::vector<std::string_view> parts = SplitPath(location);
  std::string name;
  if (!parts.empty() && parts[0] != "main") name = std::string(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!name.empty()) name += '_';
    name += parts[i];
  }
  return name;
}

std::vector<std::string> AliasesFor(std::string_view table_name) {
  if (table_name == "highest_sold_product") return {"higest_sold_product"};
  return {};
}

std::string LakeTypeName(const table::LakeColumn& column) {
  using table::LakeType;
  switch (column.type) {
    case LakeType::kBoolean:
      return "BOOLEAN";
    case LakeType::kInt32:
      return "INT32";
    case LakeType::kInt64:
      return "INT64";
    case LakeType::kFloat:
      return "FLOAT";
    case LakeType::kDouble:
      return "DOUBLE";
    case LakeType::kDecimal:
      return fmt::format("DECIMAL({},{})", column.precision, column.scale);
    case LakeType::kString:
      return "STRING";
    case LakeType::kBinary:
      return "BINARY";
    case LakeType::kDate:
      return "DATE";
    case LakeType::kTimestamp:
      return "TIMESTAMP";
  }
  return "BINARY";
}

bool ParseLakeTypeName(std::string_view text, table::LakeColumn* column) {
  using table::LakeType;
  static constexpr std::pair<std::string_view, LakeType> kSimple[] = {
      {"BOOLEAN", LakeType::kBoolean},    {"INT32", LakeType::kInt32},
      {"INT64", LakeType::kInt64},        {"FLOAT", LakeType::kFloat},
      {"DOUBLE", LakeType::kDouble},      {"STRING", LakeType::kString},
      {"BINARY", LakeType::kBinary},      {"DATE", LakeType::kDate},
      {"TIMESTAMP", LakeType::kTimestamp}};
  for (const auto& [name, type] : kSimple) {
    if (text == name) {
      column->type = type;
      return true;
    }
  }
  if (text.starts_with("DECIMAL(") && text.ends_with(")")) {
    std::string_view inner = text.substr(8, text.size() - 9);
    size_t comma = inner.find(',');
    if (comma == std::string_view::npos) return false;
    if (!ParseInt(inner.substr(0, comma), &column->precision) ||
        !ParseInt(inner.substr(comma + 1), &column->scale)) {
      return false;
    }
    column->type = LakeType::kDecimal;
    return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> SplitPartition(std::string_view partition) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view part : SplitPath(partition)) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace saleslake::lake
