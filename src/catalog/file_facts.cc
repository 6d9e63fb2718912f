#include "catalog/file_facts.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "parquet/reader/file_reader.h"
#include "parquet/reader/logical_value.h"

namespace saleslake::catalog {
namespace {

using parquet::ColumnDescriptor;
using parquet::ColumnKind;
using table::LakeType;

template <typename T>
bool LoadLe(std::string_view bytes, T* out) {
  if (bytes.size() != sizeof(T)) return false;
  std::memcpy(out, bytes.data(), sizeof(T));
  return true;
}

// The lake type of a flat column.
table::LakeColumn LakeColumnOf(const ColumnDescriptor& c) {
  table::LakeColumn out;
  out.name = c.name;
  out.nullable = c.nullable();
  switch (c.kind) {
    case ColumnKind::kBoolean:
      out.type = LakeType::kBoolean;
      break;
    case ColumnKind::kInt:
    case ColumnKind::kUInt:
      out.type = c.physical_type == parquet::Type::kInt64 ? LakeType::kInt64 : LakeType::kInt32;
      if (c.kind == ColumnKind::kUInt && c.bit_width == 32) out.type = LakeType::kInt64;
      break;
    case ColumnKind::kFloat:
    case ColumnKind::kFloat16:
      out.type = LakeType::kFloat;
      break;
    case ColumnKind::kDouble:
      out.type = LakeType::kDouble;
      break;
    case ColumnKind::kString:
      out.type = LakeType::kString;
      break;
    case ColumnKind::kDecimal:
      out.type = LakeType::kDecimal;
      out.precision = c.decimal_precision;
      out.scale = c.decimal_scale;
      break;
    case ColumnKind::kDate:
      out.type = LakeType::kDate;
      break;
    case ColumnKind::kTimestamp:
      out.type = LakeType::kTimestamp;
      break;
    case ColumnKind::kTime:
      out.type = c.physical_type == parquet::Type::kInt64 ? LakeType::kInt64 : LakeType::kInt32;
      break;
    case ColumnKind::kBinary:
    case ColumnKind::kUuid:
      out.type = LakeType::kBinary;
      break;
  }
  return out;
}

int64_t ToMicros(int64_t v, parquet::TimeUnit unit) {
  switch (unit) {
    case parquet::TimeUnit::kMillis:
      return v * 1000;
    case parquet::TimeUnit::kMicros:
      return v;
    case parquet::TimeUnit::kNanos:
      return v >= 0 ? v / 1000 : -((-v + 999) / 1000);
  }
  return v;
}

// Decodes one PLAIN statistics value of a column the catalog keeps statistics for.
std::optional<StatValue> DecodeStat(const ColumnDescriptor& c, std::string_view plain) {
  StatValue v;
  v.kind = StatValue::Kind::kInt;
  switch (c.kind) {
    case ColumnKind::kBoolean:
      if (plain.size() != 1) return std::nullopt;
      v.i = plain[0] != 0 ? 1 : 0;
      v.display = v.i != 0 ? "true" : "false";
      return v;
    case ColumnKind::kInt:
    case ColumnKind::kDate:
    case ColumnKind::kDecimal:
    case ColumnKind::kTimestamp: {
      if (c.physical_type == parquet::Type::kInt32) {
        int32_t x;
        if (!LoadLe(plain, &x)) return std::nullopt;
        v.i = x;
      } else if (c.physical_type == parquet::Type::kInt64) {
        if (!LoadLe(plain, &v.i)) return std::nullopt;
      } else {
        return std::nullopt;  // byte-array decimals, INT96 timestamps
      }
      if (c.kind == ColumnKind::kDate) {
        v.display = parquet::FormatDate(v.i);
      } else if (c.kind == ColumnKind::kDecimal) {
        v.display = parquet::DecimalText(c, v.i, {});
      } else if (c.kind == ColumnKind::kTimestamp) {
        v.display = parquet::FormatTimestamp(parquet::SplitTime(v.i, c.time_unit), c.time_unit,
                                             c.utc_adjusted);
        v.i = ToMicros(v.i, c.time_unit);
      } else {
        v.display = std::to_string(v.i);
      }
      return v;
    }
    case ColumnKind::kFloat: {
      float f;
      if (!LoadLe(plain, &f) || std::isnan(f)) return std::nullopt;
      v.kind = StatValue::Kind::kReal;
      v.d = f;
      v.display = fmt::format("{}", v.d);
      return v;
    }
    case ColumnKind::kDouble: {
      if (!LoadLe(plain, &v.d) || std::isnan(v.d)) return std::nullopt;
      v.kind = StatValue::Kind::kReal;
      v.display = fmt::format("{}", v.d);
      return v;
    }
    case ColumnKind::kString:
      if (plain.size() > kMaxStatBytes) return std::nullopt;
      v.kind = StatValue::Kind::kText;
      v.s = std::string(plain);
      v.display = v.s;
      return v;
    default:
      return std::nullopt;
  }
}

// Whether the deprecated min/max (signed, byte-wise for byte arrays) may stand in for
// min_value/max_value: only for types whose signed order is their order.
bool LegacyStatsUsable(const ColumnDescriptor& c) {
  switch (c.kind) {
    case ColumnKind::kBoolean:
    case ColumnKind::kInt:
    case ColumnKind::kDate:
    case ColumnKind::kTimestamp:
    case ColumnKind::kFloat:
    case ColumnKind::kDouble:
      return true;
    case ColumnKind::kDecimal:
      return c.physical_type == parquet::Type::kInt32 || c.physical_type == parquet::Type::kInt64;
    default:
      return false;
  }
}

}  // namespace

bool StatValue::Less(const StatValue& other) const {
  switch (kind) {
    case Kind::kInt:
      return i < other.i;
    case Kind::kReal:
      return d < other.d;
    case Kind::kText:
      return s < other.s;
  }
  return false;
}

Result<FileFacts> ReadFileFacts(io::FileSystem& fs, const std::string& path) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file, fs.OpenForRead(path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetFileReader::Open(std::move(file), {}, path));
  const parquet::FileMetaData& meta = reader->metadata();
  const parquet::FileSchema& schema = reader->schema();
  FileFacts facts;
  facts.rows = meta.num_rows;
  facts.row_groups = static_cast<int64_t>(meta.row_groups.size());
  for (int col = 0; col < schema.num_columns(); ++col) {
    const ColumnDescriptor& c = schema.column(col);
    if (!c.supported()) {
      ++facts.skipped_nested;
      continue;
    }
    ColumnFacts cf;
    cf.column = LakeColumnOf(c);
    int64_t nulls = 0;
    bool nulls_known = true;
    bool range_known = true;
    for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
      SL_ASSIGN_OR_RETURN(const parquet::ColumnMetaData* chunk, reader->ChunkMetadata(rg, col));
      if (!chunk->statistics.has_value()) {
        nulls_known = range_known = false;
        continue;
      }
      const parquet::Statistics& st = *chunk->statistics;
      if (st.null_count.has_value() && *st.null_count >= 0) {
        nulls += *st.null_count;
      } else {
        nulls_known = false;
      }
      const std::optional<std::string>* lo = &st.min_value;
      const std::optional<std::string>* hi = &st.max_value;
      if ((!lo->has_value() || !hi->has_value()) && LegacyStatsUsable(c)) {
        lo = &st.min;
        hi = &st.max;
      }
      if (!lo->has_value() || !hi->has_value()) {
        // A chunk of nulls only has no range and changes nothing; anything else is unknown.
        if (!(st.null_count.has_value() && *st.null_count == reader->row_group_rows(rg))) {
          range_known = false;
        }
        continue;
      }
      std::optional<StatValue> a = DecodeStat(c, **lo);
      std::optional<StatValue> b = DecodeStat(c, **hi);
      if (!a.has_value() || !b.has_value()) {
        range_known = false;
        continue;
      }
      if (!cf.min.has_value() || a->Less(*cf.min)) cf.min = std::move(a);
      if (!cf.max.has_value() || cf.max->Less(*b)) cf.max = std::move(b);
    }
    cf.null_count = nulls_known ? nulls : -1;
    if (!range_known) {
      cf.min.reset();
      cf.max.reset();
    }
    facts.columns.push_back(std::move(cf));
  }
  return facts;
}

}  // namespace saleslake::catalog
