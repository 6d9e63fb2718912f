#include "sql/lake_discovery.h"

#include <fmt/format.h>

#include <map>

#include "parquet/reader/file_reader.h"

namespace saleslake::sql {
namespace {

table::LakeColumn ColumnOf(const parquet::ColumnDescriptor& d) {
  table::LakeColumn c;
  c.name = d.name;
  c.nullable = d.nullable();
  using parquet::ColumnKind;
  switch (d.kind) {
    case ColumnKind::kBoolean:
      c.type = table::LakeType::kBoolean;
      break;
    case ColumnKind::kInt:
    case ColumnKind::kUInt:
      c.type = d.physical_type == parquet::Type::kInt64 ? table::LakeType::kInt64
                                                        : table::LakeType::kInt32;
      break;
    case ColumnKind::kFloat:
      c.type = table::LakeType::kFloat;
      break;
    case ColumnKind::kDouble:
    case ColumnKind::kFloat16:
      c.type = table::LakeType::kDouble;
      break;
    case ColumnKind::kString:
    case ColumnKind::kUuid:
    case ColumnKind::kTime:
      c.type = table::LakeType::kString;
      break;
    case ColumnKind::kBinary:
      c.type = table::LakeType::kBinary;
      break;
    case ColumnKind::kDecimal:
      c.type = table::LakeType::kDecimal;
      c.precision = d.decimal_precision;
      c.scale = d.decimal_scale;
      break;
    case ColumnKind::kDate:
      c.type = table::LakeType::kDate;
      break;
    case ColumnKind::kTimestamp:
      c.type = table::LakeType::kTimestamp;
      break;
  }
  return c;
}

bool IsPublishedParquet(const std::string& path) {
  size_t start = 0;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    const std::string_view part = std::string_view(path).substr(
        start, (slash == std::string::npos ? path.size() : slash) - start);
    if (!part.empty() && (part[0] == '_' || part[0] == '.')) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return path.size() > 8 && path.compare(path.size() - 8, 8, ".parquet") == 0;
}

}  // namespace

Result<table::LakeTable> DescribeLakeTable(io::FileSystem& fs, const std::string& name,
                                           const std::string& location,
                                           const std::vector<std::string>& paths) {
  table::LakeTable t;
  t.name = name;
  t.location = location;
  bool first = true;
  for (const std::string& path : paths) {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file, fs.OpenForRead(path));
    SL_ASSIGN_OR_RETURN(auto reader,
                        parquet::ParquetFileReader::Open(
                            std::shared_ptr<io::RandomAccessFile>(std::move(file)), {}, path));
    table::LakeFile f;
    f.path = path;
    f.rows = reader->num_rows();
    f.bytes = static_cast<int64_t>(reader->file_size());
    std::string rest = path.size() > location.size() ? path.substr(location.size() + 1) : "";
    size_t slash;
    while ((slash = rest.find('/')) != std::string::npos) {
      const std::string part = rest.substr(0, slash);
      rest = rest.substr(slash + 1);
      const size_t eq = part.find('=');
      if (eq != std::string::npos)
        f.partition.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    }
    if (first) {
      for (const auto& d : reader->schema().columns()) {
        if (d.supported()) t.columns.push_back(ColumnOf(d));
      }
      for (const auto& [key, value] : f.partition) {
        table::LakeColumn k;
        k.name = key;
        bool integer = !value.empty();
        for (char c : value) integer = integer && c >= '0' && c <= '9';
        k.type = integer ? table::LakeType::kInt32 : table::LakeType::kString;
        k.nullable = false;
        t.partition_keys.push_back(k);
      }
      first = false;
    } else if (f.partition.size() != t.partition_keys.size()) {
      return Status::InvalidArgument(
          fmt::format("{}: partition folders differ from the table's ({} keys, not {})", path,
                      f.partition.size(), t.partition_keys.size()));
    }
    t.files.push_back(std::move(f));
  }
  return t;
}

Result<std::vector<table::LakeTable>> DiscoverLakeTables(io::FileSystem& fs) {
  std::vector<table::LakeTable> tables;
  for (const char* layer : {"main", "raw", "quarantine"}) {
    SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, fs.List(layer));
    std::map<std::string, std::vector<std::string>> by_table;
    for (const io::FileInfo& info : files) {
      if (info.type != io::FileType::kFile || !IsPublishedParquet(info.path)) continue;
      const size_t a = info.path.find('/');
      const size_t b = info.path.find('/', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      by_table[info.path.substr(0, b)].push_back(info.path);
    }
    for (const auto& [location, paths] : by_table) {
      const std::string folder = location.substr(location.find('/') + 1);
      const std::string name =
          std::string(layer) == "main" ? folder : std::string(layer) + "_" + folder;
      SL_ASSIGN_OR_RETURN(table::LakeTable t, DescribeLakeTable(fs, name, location, paths));
      if (name == "highest_sold_product") t.aliases.push_back("higest_sold_product");
      tables.push_back(std::move(t));
    }
  }
  return tables;
}

}  // namespace saleslake::sql
