#include "catalog/lake_layout.h"

#include <fmt/format.h>

#include <charconv>

namespace saleslake::catalog {
namespace {

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

}  // namespace saleslake::catalog
