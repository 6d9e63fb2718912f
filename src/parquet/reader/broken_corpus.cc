#include "parquet/reader/broken_corpus.h"

#include <fmt/format.h>

#include <cstring>
#include <functional>
#include <memory>

#include "parquet/reader/buffer_file.h"
#include "parquet/reader/file_reader.h"
#include "parquet/reader/scanner.h"
#include "parquet/reader/test_file_builder.h"

namespace saleslake::parquet::testing {
namespace {

using compress::CodecType;

struct Variant {
  const char* suffix;
  CodecType codec;
  bool v2;
};
constexpr Variant kVariants[] = {{"snappy-v1", CodecType::kSnappy, false},
                                 {"zstd-v2", CodecType::kZstd, true},
                                 {"gzip-v1", CodecType::kGzip, false},
                                 {"none-v2", CodecType::kUncompressed, true}};

BuildOptions Base(const Variant& v) {
  BuildOptions o;
  o.codec = v.codec;
  o.data_page_v2 = v.v2;
  return o;
}

using PageHook = std::function<void(PageHeader*)>;
using FooterHook = std::function<void(FileMetaData*)>;

// A lie in one page header: `column`'s `page` of row group 0 (-1 is the dictionary page).
std::string LieInPage(const Variant& v, int column, int page, const PageHook& lie) {
  BuildOptions o = Base(v);
  o.page_hook = [&](int rg, int col, int p, PageHeader* h) {
    if (rg == 0 && col == column && p == page) lie(h);
  };
  return BuildTestFile(o).bytes;
}

std::string LieInFooter(const Variant& v, const FooterHook& lie) {
  BuildOptions o = Base(v);
  o.footer_hook = lie;
  return BuildTestFile(o).bytes;
}

ColumnMetaData& Meta(FileMetaData* md, int rg, int col) {
  return *md->row_groups[rg].columns[col].meta_data;
}

// A footer of `depth` nested struct fields (each "field 1, type struct"), then the STOPs.
std::string DeepThrift(size_t depth) {
  std::string s(depth, '\x1c');
  s.append(depth + 1, '\0');
  return s;
}

std::string WithFooter(const std::string& footer) {
  std::string out = "PAR1" + footer;
  const auto len = static_cast<uint32_t>(footer.size());
  out.append(reinterpret_cast<const char*>(&len), 4);
  return out + "PAR1";
}

}  // namespace

std::vector<NamedFile> MakeBrokenCorpus() {
  std::vector<NamedFile> out;
  auto add = [&](std::string name, std::string bytes) {
    out.push_back({std::move(name), std::move(bytes)});
  };

  // Not Parquet at all.
  add("empty", "");
  add("magic-only", "PAR1");
  add("two-magics", "PAR1PAR1");
  add("garbage", std::string(1024, '\x5a'));

  for (const Variant& v : kVariants) {
    const std::string sfx = v.suffix;
    const BuiltFile good = BuildTestFile(Base(v));
    const std::string& g = good.bytes;
    const size_t size = g.size();

    // Truncations: the start, a sweep through the data, around the footer and its tail.
    std::vector<size_t> cuts = {1, 3, 4, 5, 8, 12};
    for (size_t k = 1; k < 16; ++k) cuts.push_back(size * k / 16);
    for (size_t at : {good.footer_offset - 1, good.footer_offset, good.footer_offset + 1, size - 9,
                      size - 8, size - 5, size - 4, size - 1}) {
      cuts.push_back(at);
    }
    for (size_t at : cuts) add(fmt::format("truncated-at-{}-{}", at, sfx), g.substr(0, at));

    // Flipped bytes: in the footer, in page headers, in page bodies (the CRC must catch those).
    for (size_t k = 0; k < 12; ++k) {
      std::string b = g;
      const size_t at = good.footer_offset + (good.footer_length * k) / 12;
      b[at] = static_cast<char>(b[at] ^ 0xff);
      add(fmt::format("flip-footer-byte-{}-{}", at, sfx), std::move(b));
    }
    for (size_t k = 0; k < good.pages.size(); k += 3) {
      const PageSpan& p = good.pages[k];
      std::string h = g;
      const size_t at_header = p.header_offset + p.header_size / 2;
      h[at_header] = static_cast<char>(h[at_header] ^ 0xff);
      add(fmt::format("flip-page-header-byte-{}-{}", at_header, sfx), std::move(h));
      if (p.body_size > 0) {
        std::string b = g;
        const size_t at_body = p.header_offset + p.header_size + p.body_size / 2;
        b[at_body] = static_cast<char>(b[at_body] ^ 0x10);
        add(fmt::format("flip-page-body-byte-{}-{}", at_body, sfx), std::move(b));
      }
    }

    // The tail lies.
    {
      std::string b = g;
      const auto lie = static_cast<uint32_t>(size);
      std::memcpy(b.data() + size - 8, &lie, 4);
      add("lie-footer-length-whole-file-" + sfx, std::move(b));
      std::string z = g;
      std::memset(z.data() + size - 8, 0, 4);
      add("lie-footer-length-zero-" + sfx, std::move(z));
      std::string m = g;
      m[size - 1] = 'X';
      add("bad-magic-at-end-" + sfx, std::move(m));
      std::string s = g;
      s[0] = 'X';
      add("bad-magic-at-start-" + sfx, std::move(s));
    }

    // The footer lies.
    add("lie-row-group-rows-huge-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->row_groups[0].num_rows = int64_t{1} << 40; }));
    add("lie-row-group-rows-more-than-pages-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->row_groups[0].num_rows = 150; }));
    add("lie-row-group-rows-negative-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->row_groups[1].num_rows = -7; }));
    add("lie-file-rows-negative-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->num_rows = -1; }));
    add("lie-chunk-offset-past-end-" + sfx, LieInFooter(v, [size](FileMetaData* md) {
          Meta(md, 0, 0).data_page_offset = static_cast<int64_t>(size) + 100;
        }));
    add("lie-chunk-offset-negative-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 1, 2).data_page_offset = -40; }));
    add("lie-chunk-size-huge-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          Meta(md, 0, 1).total_compressed_size = int64_t{1} << 40;
        }));
    add("lie-chunk-size-negative-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 0, 0).total_compressed_size = -1; }));
    add("lie-chunk-size-tiny-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 0, 0).total_compressed_size = 3; }));
    add("lie-dictionary-offset-in-magic-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          Meta(md, 0, 1).dictionary_page_offset = 1;
          Meta(md, 0, 1).data_page_offset = 2;
        }));
    add("lie-codec-unknown-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          Meta(md, 0, 0).codec = static_cast<CompressionCodec>(42);
        }));
    add("lie-codec-brotli-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 0, 2).codec = CompressionCodec::kBrotli; }));
    add("lie-codec-other-" + sfx, LieInFooter(v, [&](FileMetaData* md) {
          Meta(md, 0, 0).codec =
              v.codec == CodecType::kZstd ? CompressionCodec::kSnappy : CompressionCodec::kZstd;
        }));
    add("lie-chunk-type-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 0, 0).type = Type::kInt32; }));
    add("lie-chunk-path-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { Meta(md, 0, 1).path_in_schema = {"nobody"}; }));
    add("lie-chunk-missing-metadata-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->row_groups[0].columns[2].meta_data.reset(); }));
    add("lie-chunk-in-other-file-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          md->row_groups[0].columns[0].file_path = "../../etc/passwd";
        }));
    add("lie-schema-children-too-many-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->schema[0].num_children = 50; }));
    add("lie-schema-children-negative-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->schema[0].num_children = -3; }));
    add("lie-schema-leaf-without-type-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->schema[2].type.reset(); }));
    add("lie-schema-fixed-width-negative-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          md->schema[1].type = Type::kFixedLenByteArray;
          md->schema[1].type_length = -8;
        }));
    add("lie-schema-unknown-type-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->schema[3].type = static_cast<Type>(11); }));
    add("lie-row-group-missing-column-" + sfx,
        LieInFooter(v, [](FileMetaData* md) { md->row_groups[1].columns.pop_back(); }));
    add("lie-column-index-past-end-" + sfx, LieInFooter(v, [size](FileMetaData* md) {
          md->row_groups[0].columns[0].column_index_offset = static_cast<int64_t>(size) * 2;
        }));
    add("lie-offset-index-length-huge-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          md->row_groups[0].columns[1].offset_index_length = 1 << 30;
        }));
    add("lie-offset-index-points-elsewhere-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          // The id chunk's offset index used for the name chunk: pages outside the chunk.
          md->row_groups[0].columns[1].offset_index_offset =
              md->row_groups[0].columns[0].offset_index_offset;
          md->row_groups[0].columns[1].offset_index_length =
              md->row_groups[0].columns[0].offset_index_length;
        }));
    add("lie-bloom-filter-past-end-" + sfx, LieInFooter(v, [size](FileMetaData* md) {
          Meta(md, 0, 0).bloom_filter_offset = static_cast<int64_t>(size) + 10;
        }));
    add("lie-bloom-filter-on-data-" + sfx, LieInFooter(v, [](FileMetaData* md) {
          Meta(md, 0, 0).bloom_filter_offset = Meta(md, 0, 0).data_page_offset;
        }));

    // Page headers lie.
    add("lie-page-uncompressed-size-huge-" + sfx,
        LieInPage(v, 0, 0, [](PageHeader* h) { h->uncompressed_page_size = 0x7fffffff; }));
    add("lie-page-uncompressed-size-off-by-one-" + sfx,
        LieInPage(v, 2, 1, [](PageHeader* h) { h->uncompressed_page_size += 1; }));
    add("lie-page-compressed-size-huge-" + sfx,
        LieInPage(v, 0, 1, [](PageHeader* h) { h->compressed_page_size = 0x7fffffff; }));
    add("lie-page-compressed-size-negative-" + sfx,
        LieInPage(v, 2, 0, [](PageHeader* h) { h->compressed_page_size = -1; }));
    add("lie-page-values-huge-" + sfx, LieInPage(v, 0, 0, [](PageHeader* h) {
          if (h->data_page_header) h->data_page_header->num_values = 0x7fffffff;
          if (h->data_page_header_v2) h->data_page_header_v2->num_values = 0x7fffffff;
        }));
    add("lie-page-values-one-short-" + sfx, LieInPage(v, 2, 0, [](PageHeader* h) {
          if (h->data_page_header) h->data_page_header->num_values -= 1;
          if (h->data_page_header_v2) {
            h->data_page_header_v2->num_values -= 1;
            h->data_page_header_v2->num_rows -= 1;
          }
        }));
    add("lie-page-values-negative-" + sfx, LieInPage(v, 1, 1, [](PageHeader* h) {
          if (h->data_page_header) h->data_page_header->num_values = -5;
          if (h->data_page_header_v2) h->data_page_header_v2->num_values = -5;
        }));
    add("lie-page-encoding-unknown-" + sfx, LieInPage(v, 2, 0, [](PageHeader* h) {
          if (h->data_page_header) h->data_page_header->encoding = static_cast<Encoding>(77);
          if (h->data_page_header_v2) h->data_page_header_v2->encoding = static_cast<Encoding>(77);
        }));
    add("lie-page-encoding-delta-on-plain-data-" + sfx, LieInPage(v, 0, 0, [](PageHeader* h) {
          if (h->data_page_header) h->data_page_header->encoding = Encoding::kDeltaBinaryPacked;
          if (h->data_page_header_v2) {
            h->data_page_header_v2->encoding = Encoding::kDeltaBinaryPacked;
          }
        }));
    add("lie-page-type-unknown-" + sfx,
        LieInPage(v, 0, 0, [](PageHeader* h) { h->type = static_cast<PageType>(9); }));
    add("lie-page-header-missing-" + sfx, LieInPage(v, 2, 0, [](PageHeader* h) {
          h->data_page_header.reset();
          h->data_page_header_v2.reset();
        }));
    add("lie-page-crc-" + sfx, LieInPage(v, 1, 0, [](PageHeader* h) {
          h->crc = static_cast<int32_t>(static_cast<uint32_t>(h->crc.value_or(0)) ^ 1u);
        }));
    add("lie-dictionary-entries-huge-" + sfx, LieInPage(v, 1, -1, [](PageHeader* h) {
          h->dictionary_page_header->num_values = 0x7fffffff;
        }));
    add("lie-dictionary-entries-too-few-" + sfx,
        LieInPage(v, 1, -1, [](PageHeader* h) { h->dictionary_page_header->num_values = 2; }));
    add("lie-dictionary-page-as-data-page-" + sfx, LieInPage(v, 1, -1, [](PageHeader* h) {
          h->type = PageType::kDataPage;
          h->data_page_header =
              DataPageHeader{5, Encoding::kPlain, Encoding::kRle, Encoding::kRle, std::nullopt};
        }));
    add("lie-data-page-as-dictionary-" + sfx, LieInPage(v, 1, 1, [](PageHeader* h) {
          h->type = PageType::kDictionaryPage;
          h->dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain, std::nullopt};
        }));
    if (v.v2) {
      add("lie-v2-level-bytes-huge-" + sfx, LieInPage(v, 2, 0, [](PageHeader* h) {
            h->data_page_header_v2->definition_levels_byte_length = 1 << 20;
          }));
      add("lie-v2-level-bytes-negative-" + sfx, LieInPage(v, 1, 0, [](PageHeader* h) {
            h->data_page_header_v2->definition_levels_byte_length = -2;
          }));
      add("lie-v2-null-count-" + sfx,
          LieInPage(v, 2, 0, [](PageHeader* h) { h->data_page_header_v2->num_nulls += 1; }));
    } else {
      add("lie-level-encoding-plain-" + sfx, LieInPage(v, 2, 0, [](PageHeader* h) {
            h->data_page_header->definition_level_encoding = Encoding::kPlain;
          }));
    }
  }

  // Hostile thrift in the footer.
  add("thrift-deep-nesting", WithFooter(DeepThrift(100000)));
  // FileMetaData: version (i32 1), then schema as a list of 2^31-1 structs with no bytes behind.
  add("thrift-huge-list", WithFooter(std::string("\x15\x02\x19\xfc\xff\xff\xff\x07", 8)));
  add("thrift-huge-string",
      WithFooter(std::string("\x15\x02\x19\x1c\x48\xff\xff\xff\xff\x0f", 10) + "abc"));
  add("thrift-varint-forever", WithFooter(std::string(64, '\xff')));
  return out;
}

bool MustFail(const std::string& name) {
  // Flipped bytes in a footer or a page header may land in a value that is still valid (a
  // string, a statistic); every other mutant is broken by construction.
  return name.rfind("flip-footer", 0) != 0 && name.rfind("flip-page-header", 0) != 0;
}

Status ReadEverything(const std::string& name, const std::string& bytes,
                      const ReaderOptions& options) {
  auto file = std::make_shared<BufferFile>(name, bytes);
  SL_ASSIGN_OR_RETURN(auto reader, ParquetFileReader::Open(file, options));
  const FileSchema& schema = reader->schema();
  for (int rg = 0; rg < reader->num_row_groups(); ++rg) {
    const int64_t rows = reader->row_group_rows(rg);
    for (int col = 0; col < schema.num_columns(); ++col) {
      ColumnVector v;
      SL_RETURN_IF_ERROR(reader->ReadColumnChunk(rg, col, &v));
      if (rows > 2) {
        RowRanges some;
        some.Add(1, rows / 3);
        some.Add(rows / 2, rows);
        SL_RETURN_IF_ERROR(reader->ReadColumnChunkRows(rg, col, some, &v));
      }
      SL_RETURN_IF_ERROR(reader->ReadColumnIndex(rg, col).status());
      SL_RETURN_IF_ERROR(reader->ReadOffsetIndex(rg, col).status());
      SL_RETURN_IF_ERROR(reader->ReadBloomFilter(rg, col).status());
    }
  }
  if (schema.num_columns() > 0 && schema.column(0).supported()) {
    ScanOptions scan;
    auto literal = ParseLiteral(schema.column(0), "5");
    if (literal.ok()) {
      scan.predicates.push_back({schema.column(0).name, CompareOp::kLe, {*literal}});
    }
    SL_ASSIGN_OR_RETURN(auto scanner, ParquetScanner::Make(reader.get(), scan));
    ScanBatch batch;
    while (true) {
      SL_ASSIGN_OR_RETURN(bool more, scanner->Next(&batch));
      if (!more) break;
    }
  }
  return Status::OK();
}

}  // namespace saleslake::parquet::testing
