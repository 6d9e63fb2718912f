#include "parquet/reader/test_file_builder.h"

#include <algorithm>
#include <cstring>

#include "compress/crc32.h"

namespace saleslake::parquet::testing {
namespace {

const char* const kNames[] = {"Asha", "Bilal", "Chen", "Devi", "Emeka"};
constexpr int kNumNames = 5;

std::optional<int> NameIndex(int64_t row) {
  if (row % 7 == 3) return std::nullopt;
  return static_cast<int>(row % kNumNames);
}

void AppendLe32(std::string* out, uint32_t v) { out->append(reinterpret_cast<char*>(&v), 4); }
void AppendLe64(std::string* out, int64_t v) { out->append(reinterpret_cast<char*>(&v), 8); }

// The RLE/bit-packed hybrid in its simplest valid form: one RLE run per value.
std::string RleRuns(const std::vector<uint32_t>& values, int width) {
  std::string out;
  const int value_bytes = (width + 7) / 8;
  for (uint32_t v : values) {
    out.push_back(2);  // run of 1: (1 << 1)
    for (int i = 0; i < value_bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  }
  return out;
}

std::string Compress(compress::Codec* codec, std::string_view raw) {
  std::string out;
  (void)codec->Compress(raw, &out);
  return out;
}

struct Column {
  const char* name;
  Type type;
  bool optional;
};
constexpr Column kColumns[] = {
    {"id", Type::kInt64, false}, {"name", Type::kByteArray, true}, {"price", Type::kInt64, true}};

// Page statistics for the column index.
struct PageStats {
  bool all_null = true;
  std::string min, max;
  int64_t nulls = 0;
};

}  // namespace

std::optional<std::string> ExpectedName(int64_t row) {
  auto i = NameIndex(row);
  if (!i) return std::nullopt;
  return std::string(kNames[*i]);
}

std::optional<int64_t> ExpectedPrice(int64_t row) {
  if (row % 11 == 0) return std::nullopt;
  return row * 101 - 5000;
}

BuiltFile BuildTestFile(const BuildOptions& o) {
  auto codec = std::move(compress::MakeCodec(o.codec)).value();
  BuiltFile file;
  std::string& out = file.bytes;
  out = "PAR1";
  FileMetaData md;
  md.version = 1;
  md.created_by = "saleslake test file builder";
  md.schema.push_back(SchemaElement{});
  md.schema[0].name = "schema";
  md.schema[0].num_children = 3;
  for (const Column& c : kColumns) {
    SchemaElement e;
    e.name = c.name;
    e.type = c.type;
    e.repetition_type =
        c.optional ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
    if (std::string_view(c.name) == "name") {
      e.logical_type = LogicalType::String();
      e.converted_type = ConvertedType::kUtf8;
    } else if (std::string_view(c.name) == "price") {
      e.logical_type = LogicalType::Decimal(18, 2);
      e.converted_type = ConvertedType::kDecimal;
      e.precision = 18;
      e.scale = 2;
    }
    md.schema.push_back(e);
  }
  std::vector<std::vector<ColumnIndex>> column_indexes(o.row_groups);
  std::vector<std::vector<OffsetIndex>> offset_indexes(o.row_groups);

  auto emit_page = [&](int rg, int col, int page_no, PageHeader header, std::string_view stored) {
    if (o.crc) header.crc = static_cast<int32_t>(compress::Crc32(stored));
    if (o.page_hook) o.page_hook(rg, col, page_no, &header);
    std::string h;
    Serialize(header, &h);
    PageSpan span{out.size(), h.size(), stored.size()};
    out += h;
    out.append(stored);
    file.pages.push_back(span);
    return span;
  };

  for (int rg = 0; rg < o.row_groups; ++rg) {
    RowGroup group;
    group.num_rows = o.rows_per_group;
    const int64_t first_row = int64_t{rg} * o.rows_per_group;
    for (int col = 0; col < 3; ++col) {
      const Column& c = kColumns[col];
      ColumnMetaData meta;
      meta.type = c.type;
      meta.path_in_schema = {c.name};
      meta.codec = static_cast<CompressionCodec>(o.codec);
      meta.num_values = o.rows_per_group;
      const uint64_t chunk_start = out.size();
      if (col == 1) {  // dictionary page
        std::string dict;
        for (const char* n : kNames) {
          AppendLe32(&dict, static_cast<uint32_t>(std::strlen(n)));
          dict += n;
        }
        PageHeader h;
        h.type = PageType::kDictionaryPage;
        h.uncompressed_page_size = static_cast<int32_t>(dict.size());
        std::string stored = Compress(codec.get(), dict);
        h.compressed_page_size = static_cast<int32_t>(stored.size());
        h.dictionary_page_header = DictionaryPageHeader{kNumNames, Encoding::kPlain, std::nullopt};
        emit_page(rg, col, -1, h, stored);
        meta.dictionary_page_offset = static_cast<int64_t>(chunk_start);
        meta.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
      } else {
        meta.encodings = {Encoding::kPlain, Encoding::kRle};
      }
      ColumnIndex ci;
      OffsetIndex oi;
      Statistics chunk_stats;
      int64_t chunk_nulls = 0;
      std::optional<int64_t> chunk_min, chunk_max;
      int page_no = 0;
      for (int64_t p = 0; p < o.rows_per_group; p += o.rows_per_page, ++page_no) {
        const int64_t n = std::min<int64_t>(o.rows_per_page, o.rows_per_group - p);
        std::vector<uint32_t> levels, indices;
        std::string values;
        PageStats ps;
        for (int64_t i = 0; i < n; ++i) {
          const int64_t row = first_row + p + i;
          std::optional<int64_t> v;
          std::optional<int> name;
          if (col == 0) v = row;
          if (col == 1) name = NameIndex(row);
          if (col == 2) v = ExpectedPrice(row);
          const bool present = col == 1 ? name.has_value() : v.has_value();
          if (c.optional) levels.push_back(present ? 1 : 0);
          if (!present) {
            ++ps.nulls;
            continue;
          }
          if (col == 1) {
            indices.push_back(static_cast<uint32_t>(*name));
            const std::string s = kNames[*name];
            if (ps.all_null || s < ps.min) ps.min = s;
            if (ps.all_null || s > ps.max) ps.max = s;
          } else {
            AppendLe64(&values, *v);
            std::string le(reinterpret_cast<const char*>(&*v), 8);
            int64_t cur_min = 0, cur_max = 0;
            if (!ps.all_null) {
              std::memcpy(&cur_min, ps.min.data(), 8);
              std::memcpy(&cur_max, ps.max.data(), 8);
            }
            if (ps.all_null || *v < cur_min) ps.min = le;
            if (ps.all_null || *v > cur_max) ps.max = le;
            chunk_min = chunk_min ? std::min(*chunk_min, *v) : *v;
            chunk_max = chunk_max ? std::max(*chunk_max, *v) : *v;
          }
          ps.all_null = false;
        }
        if (col == 1) values = std::string(1, '\3') + RleRuns(indices, 3);
        const std::string level_bytes = c.optional ? RleRuns(levels, 1) : std::string();
        PageHeader h;
        std::string stored;
        if (!o.data_page_v2) {
          std::string body;
          if (c.optional) {
            AppendLe32(&body, static_cast<uint32_t>(level_bytes.size()));
            body += level_bytes;
          }
          body += values;
          stored = Compress(codec.get(), body);
          h.type = PageType::kDataPage;
          h.uncompressed_page_size = static_cast<int32_t>(body.size());
          h.data_page_header = DataPageHeader{
              static_cast<int32_t>(n), col == 1 ? Encoding::kRleDictionary : Encoding::kPlain,
              Encoding::kRle, Encoding::kRle, std::nullopt};
        } else {
          stored = level_bytes + Compress(codec.get(), values);
          h.type = PageType::kDataPageV2;
          h.uncompressed_page_size = static_cast<int32_t>(level_bytes.size() + values.size());
          DataPageHeaderV2 v2;
          v2.num_values = static_cast<int32_t>(n);
          v2.num_nulls = static_cast<int32_t>(ps.nulls);
          v2.num_rows = static_cast<int32_t>(n);
          v2.encoding = col == 1 ? Encoding::kRleDictionary : Encoding::kPlain;
          v2.definition_levels_byte_length = static_cast<int32_t>(level_bytes.size());
          h.data_page_header_v2 = v2;
        }
        h.compressed_page_size = static_cast<int32_t>(stored.size());
        PageSpan span = emit_page(rg, col, page_no, h, stored);
        if (page_no == 0) meta.data_page_offset = static_cast<int64_t>(span.header_offset);
        oi.page_locations.push_back({static_cast<int64_t>(span.header_offset),
                                     static_cast<int32_t>(span.header_size + span.body_size), p});
        ci.null_pages.push_back(ps.all_null);
        ci.min_values.push_back(ps.all_null ? "" : ps.min);
        ci.max_values.push_back(ps.all_null ? "" : ps.max);
        if (!ci.null_counts) ci.null_counts.emplace();
        ci.null_counts->push_back(ps.nulls);
        chunk_nulls += ps.nulls;
      }
      meta.total_compressed_size = static_cast<int64_t>(out.size() - chunk_start);
      meta.total_uncompressed_size = meta.total_compressed_size;
      chunk_stats.null_count = chunk_nulls;
      if (chunk_min) {
        chunk_stats.min_value = std::string(reinterpret_cast<const char*>(&*chunk_min), 8);
        chunk_stats.max_value = std::string(reinterpret_cast<const char*>(&*chunk_max), 8);
      }
      meta.statistics = chunk_stats;
      ColumnChunk cc;
      cc.file_offset = static_cast<int64_t>(chunk_start);
      cc.meta_data = meta;
      group.columns.push_back(cc);
      group.total_byte_size += meta.total_uncompressed_size;
      column_indexes[rg].push_back(ci);
      offset_indexes[rg].push_back(oi);
    }
    md.row_groups.push_back(group);
    md.num_rows += group.num_rows;
  }
  if (o.page_index) {
    for (int rg = 0; rg < o.row_groups; ++rg) {
      for (int col = 0; col < 3; ++col) {
        ColumnChunk& cc = md.row_groups[rg].columns[col];
        const size_t at = out.size();
        Serialize(column_indexes[rg][col], &out);
        cc.column_index_offset = static_cast<int64_t>(at);
        cc.column_index_length = static_cast<int32_t>(out.size() - at);
      }
    }
    for (int rg = 0; rg < o.row_groups; ++rg) {
      for (int col = 0; col < 3; ++col) {
        ColumnChunk& cc = md.row_groups[rg].columns[col];
        const size_t at = out.size();
        Serialize(offset_indexes[rg][col], &out);
        cc.offset_index_offset = static_cast<int64_t>(at);
        cc.offset_index_length = static_cast<int32_t>(out.size() - at);
      }
    }
  }
  if (o.footer_hook) o.footer_hook(&md);
  file.footer_offset = out.size();
  Serialize(md, &out);
  file.footer_length = static_cast<uint32_t>(out.size() - file.footer_offset);
  AppendLe32(&out, file.footer_length);
  out += "PAR1";
  return file;
}

}  // namespace saleslake::parquet::testing
