// TypedColumnWriter<kType>: the per-physical-type column writer.
//
// A chunk starts in dictionary mode (unless the column asks for PLAIN or DELTA_BINARY_PACKED, or
// is BOOLEAN): values become ids of the chunk's dictionary. When the dictionary's PLAIN size
// passes dictionary_page_bytes, or early on 95% of the values are distinct, the open page is
// closed as a dictionary page and the rest of the chunk is written in value mode (PLAIN, or for
// integers DELTA_BINARY_PACKED where it is smaller).
//
// Page min/max in dictionary mode are updated only on a dictionary id's first appearance in the
// page (tracked with a per-id page stamp), so a page costs one comparison per distinct value, not
// per row.
#include "parquet/writer/typed_column_writer.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "parquet/encoding/delta_binary_packed_encoder.h"
#include "parquet/encoding/dictionary_encoder.h"
#include "parquet/encoding/plain_encoder.h"
#include "parquet/encoding/rle_encoder.h"
#include "parquet/writer/column_index_builder.h"
#include "parquet/writer/statistics_builder.h"

namespace saleslake::parquet {
namespace {

template <Type kType>
struct Physical;
template <>
struct Physical<Type::kBoolean> {
  using T = uint8_t;
};
template <>
struct Physical<Type::kInt32> {
  using T = int32_t;
};
template <>
struct Physical<Type::kInt64> {
  using T = int64_t;
};
template <>
struct Physical<Type::kFloat> {
  using T = float;
};
template <>
struct Physical<Type::kDouble> {
  using T = double;
};
template <>
struct Physical<Type::kByteArray> {
  using T = std::string_view;
};
template <>
struct Physical<Type::kFixedLenByteArray> {
  using T = std::string_view;
};

// Rows handled between checks of the page and dictionary limits.
constexpr size_t kSliceRows = 4096;
// Values seen before a chunk may judge that its dictionary does not pay (95% distinct).
constexpr size_t kDictionaryProbeValues = 8192;

template <Type kType>
class TypedColumnWriter final : public ColumnWriter {
  using T = typename Physical<kType>::T;
  static constexpr bool kBytes = std::is_same_v<T, std::string_view>;
  static constexpr bool kFixedBytes = kType == Type::kFixedLenByteArray;
  static constexpr bool kInteger = std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>;
  static constexpr bool kBoolean = kType == Type::kBoolean;
  using Dictionary = std::conditional_t<kBytes, ByteArrayDictionary,
                                        FixedDictionary<std::conditional_t<kBoolean, int32_t, T>>>;
  enum class Mode { kDictionary, kValues };

 public:
  TypedColumnWriter(const ColumnSpec& spec, const WriterOptions& options,
                    std::unique_ptr<PageWriter> pages)
      : ColumnWriter(spec, std::move(pages)),
        options_(options),
        column_(options.ForColumn(spec.name)),
        sort_order_(SortOrderOf(spec)),
        stats_enabled_(column_.statistics && sort_order_ != SortOrder::kUndefined),
        index_(Order(), static_cast<size_t>(options.column_index_value_bytes)) {
    Reset();
  }

  Status Write(const ColumnBuffer& values, size_t offset, size_t count) override {
    const uint8_t* validity = values.validity();
    if constexpr (kBytes) {
      if (values.is_dictionary()) remap_.assign(values.dictionary_size(), kUnmapped);
    }
    while (count > 0) {
      const size_t room = static_cast<size_t>(options_.data_page_rows) - page_rows_;
      const size_t n = std::min({count, room, kSliceRows});
      if (!spec_.required) AppendLevels(validity, offset, n);
      if (validity == nullptr) {
        AppendValues<false>(values, offset, n, nullptr);
      } else {
        AppendValues<true>(values, offset, n, validity);
      }
      page_rows_ += n;
      chunk_rows_ += n;
      offset += n;
      count -= n;
      if (mode_ == Mode::kDictionary &&
          (static_cast<int64_t>(DictionaryBytes()) > options_.dictionary_page_bytes ||
           DictionaryIsNotPaying())) {
        SL_RETURN_IF_ERROR(FlushPage());
        mode_ = Mode::kValues;
      } else if (page_rows_ >= static_cast<size_t>(options_.data_page_rows) ||
                 OpenPageBytes() >= options_.data_page_bytes) {
        SL_RETURN_IF_ERROR(FlushPage());
      }
    }
    return Status::OK();
  }

  int64_t EstimatedBytes() const override {
    int64_t bytes = pages_->total_compressed_bytes() + OpenPageBytes();
    if (used_dictionary_ || mode_ == Mode::kDictionary) {
      bytes += static_cast<int64_t>(DictionaryBytes());
    }
    return bytes;
  }

  Status FinishChunk(FinishedColumnChunk* out) override {
    SL_RETURN_IF_ERROR(FlushPage());
    if (used_dictionary_) {
      scratch_.clear();
      AppendDictionaryPlain(&scratch_);
      SL_RETURN_IF_ERROR(
          pages_->WriteDictionaryPage(scratch_, static_cast<int32_t>(dictionary_.size())));
    }
    *out = FinishedColumnChunk{};
    ColumnMetaData& m = out->metadata;
    m.type = spec_.type;
    m.path_in_schema = {spec_.name};
    m.codec = pages_->codec_id();
    m.num_values = static_cast<int64_t>(chunk_rows_);
    m.total_uncompressed_size = pages_->total_uncompressed_bytes();
    m.total_compressed_size = pages_->total_compressed_bytes();
    m.encoding_stats = pages_->EncodingStats();
    if (pages_->has_dictionary_page()) m.dictionary_page_offset = 0;
    m.data_page_offset = static_cast<int64_t>(pages_->dictionary_page().size());
    for (const PageEncodingStats& s : m.encoding_stats) {
      if (std::find(m.encodings.begin(), m.encodings.end(), s.encoding) == m.encodings.end()) {
        m.encodings.push_back(s.encoding);
      }
    }
    if (!spec_.required) m.encodings.push_back(Encoding::kRle);  // definition levels
    m.statistics = ChunkStatistics();
    if (options_.page_index) {
      if (stats_enabled_) {
        out->column_index = index_.Finish();
      }
    }
    if (column_.bloom_filter) out->bloom_filter = BuildBloomFilter();
    return Status::OK();
  }

  void Reset() override {
    pages_->Reset();
    dictionary_.Clear();
    seen_in_page_.clear();
    page_stamp_ = 1;
    const bool dictionary = !kBoolean && (column_.encoding == ColumnEncoding::kAuto ||
                                          column_.encoding == ColumnEncoding::kDictionary);
    mode_ = dictionary ? Mode::kDictionary : Mode::kValues;
    used_dictionary_ = false;
    ResetPage();
    chunk_rows_ = 0;
    chunk_nulls_ = 0;
    chunk_minmax_.Reset();
    index_.Reset();
    bloom_hashes_.clear();
  }

 private:
  ValueOrder<T> Order() const {
    ValueOrder<T> order;
    order.is_unsigned = SortOrderOf(spec_) == SortOrder::kUnsigned;
    return order;
  }

  static T Get(const ColumnBuffer& v, size_t row) {
    if constexpr (kBytes) {
      return v.bytes(row);
    } else {
      return v.values<T>()[row];
    }
  }

  // The same bits (as the dictionary compares them: -0.0 and 0.0 differ, NaN equals itself).
  static bool SameValue(const T& a, const T& b) {
    if constexpr (kBytes) {
      return a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
    } else {
      return std::memcmp(&a, &b, sizeof(T)) == 0;
    }
  }

  static uint64_t Hash(T v) {
    if constexpr (kBytes) {
      return SplitBlockBloomFilter::Hash(v);
    } else {
      return SplitBlockBloomFilter::HashValue(v);
    }
  }

  void AppendLevels(const uint8_t* validity, size_t offset, size_t n) {
    if (validity == nullptr) {
      levels_.insert(levels_.end(), n, 1);
    } else {
      levels_.insert(levels_.end(), validity + offset, validity + offset + n);
    }
  }

  // A value's chunk dictionary id, in dictionary mode: on its first appearance in the chunk its
  // bloom hash is kept, on its first in the page it joins the page's min/max.
  [[gnu::always_inline]] void AppendId(uint32_t id, const T& x, const ValueOrder<T>& order,
                                       bool bloom) {
    if (id == seen_in_page_.size()) {
      seen_in_page_.push_back(0);
      if (bloom) bloom_hashes_.push_back(Hash(x));
    }
    if (num_ids_ == ids_.size()) ids_.resize(std::max<size_t>(4096, 2 * ids_.size()));
    ids_[num_ids_++] = id;
    if (seen_in_page_[id] != page_stamp_) {
      seen_in_page_[id] = page_stamp_;
      page_minmax_.Update(x, order);
    }
  }

  // Byte arrays in dictionary form. In dictionary mode each distinct value of the buffer is
  // looked up once per Write (remap_), and each row costs an array read; in value mode a row's
  // value is read through its index. Either way the bytes are those of the plain form.
  template <bool kHasNulls>
  void AppendIndexed(const ColumnBuffer& v, size_t offset, size_t n, const uint8_t* validity) {
    const ValueOrder<T> order = Order();
    const bool bloom = column_.bloom_filter;
    const uint32_t* indices = v.indices();
    if (mode_ == Mode::kDictionary) {
      for (size_t row = offset; row < offset + n; ++row) {
        if (kHasNulls && !validity[row]) {
          ++page_nulls_;
          continue;
        }
        const uint32_t index = indices[row];
        uint32_t id = remap_[index];
        if (id == kUnmapped) {
          id = dictionary_.IdOf(v.dictionary_value(index));
          remap_[index] = id;
        }
        AppendId(id, v.dictionary_value(index), order, bloom);
      }
      return;
    }
    for (size_t row = offset; row < offset + n; ++row) {
      if (kHasNulls && !validity[row]) {
        ++page_nulls_;
        continue;
      }
      AppendValue(v.dictionary_value(indices[row]), order, bloom);
    }
  }

  // One value in value mode.
  [[gnu::always_inline]] void AppendValue(const T& x, const ValueOrder<T>& order, bool bloom) {
    if constexpr (kFixedBytes) {
      plain_.append(x);
    } else if constexpr (kBytes) {
      AppendPlainByteArray(x, &plain_);
    } else {
      values_.push_back(x);
    }
    if (stats_enabled_) page_minmax_.Update(x, order);
    if (bloom) bloom_hashes_.push_back(Hash(x));
  }

  template <bool kHasNulls>
  void AppendValues(const ColumnBuffer& v, size_t offset, size_t n, const uint8_t* validity) {
    if constexpr (kBytes) {
      if (v.is_dictionary()) return AppendIndexed<kHasNulls>(v, offset, n, validity);
    }
    const ValueOrder<T> order = Order();
    const bool bloom = column_.bloom_filter;
    if (mode_ == Mode::kDictionary) {
      if constexpr (!kBoolean) {
        // The previous value's id: a run of one value (a batch's lineage columns, sorted data)
        // costs a comparison per row, not a lookup.
        T last{};
        uint32_t last_id = UINT32_MAX;
        for (size_t row = offset; row < offset + n; ++row) {
          if (kHasNulls && !validity[row]) {
            ++page_nulls_;
            continue;
          }
          const T x = Get(v, row);
          uint32_t id;
          if (last_id != UINT32_MAX && SameValue(x, last)) {
            id = last_id;
          } else {
            id = dictionary_.IdOf(x);
            last = x;
            last_id = id;
          }
          AppendId(id, x, order, bloom);
        }
      }
      return;
    }
    for (size_t row = offset; row < offset + n; ++row) {
      if (kHasNulls && !validity[row]) {
        ++page_nulls_;
        continue;
      }
      AppendValue(Get(v, row), order, bloom);
    }
  }

  // Nearly every value distinct (ids, timestamps, emails): a dictionary would only add its ids
  // to the PLAIN bytes. Judged once enough values are in, and only early in the chunk; later the
  // byte limit decides.
  bool DictionaryIsNotPaying() const {
    const size_t values = chunk_rows_ - chunk_nulls_ - page_nulls_;
    return values >= kDictionaryProbeValues && values <= 8 * kDictionaryProbeValues &&
           dictionary_.size() * 20 > values * 19;
  }

  size_t DictionaryBytes() const {
    if constexpr (kBytes) {
      return dictionary_.plain_bytes(kFixedBytes);
    } else {
      return dictionary_.plain_bytes();
    }
  }

  void AppendDictionaryPlain(std::string* out) const {
    if constexpr (kBytes) {
      dictionary_.AppendPlain(kFixedBytes, out);
    } else if constexpr (!kBoolean) {
      AppendPlain(dictionary_.values().data(), dictionary_.size(), out);
    }
  }

  int IdWidth() const {
    return std::max(1, BitsFor(dictionary_.size() > 0 ? dictionary_.size() - 1 : 0));
  }

  int64_t OpenPageBytes() const {
    size_t bytes = levels_.size() / 8;
    if (mode_ == Mode::kDictionary) {
      bytes += num_ids_ * static_cast<size_t>(IdWidth()) / 8;
    } else if constexpr (kBytes) {
      bytes += plain_.size();
    } else if constexpr (kBoolean) {
      bytes += values_.size() / 8;
    } else {
      bytes += values_.size() * sizeof(T);
    }
    return static_cast<int64_t>(bytes);
  }

  // Encodes the open page's values into encoded_; returns the encoding used.
  Encoding EncodeValues() {
    encoded_.clear();
    if (mode_ == Mode::kDictionary) {
      if (dictionary_.size() == 0) return Encoding::kPlain;  // only nulls so far: no values
      used_dictionary_ = true;
      const int width = IdWidth();
      encoded_.push_back(static_cast<char>(width));
      EncodeRleBitPacked(ids_.data(), num_ids_, width, &encoded_);
      return Encoding::kRleDictionary;
    }
    if constexpr (kBytes) {
      encoded_.swap(plain_);
      return Encoding::kPlain;
    } else if constexpr (kBoolean) {
      AppendPlainBooleans(values_.data(), values_.size(), &encoded_);
      return Encoding::kPlain;
    } else {
      if constexpr (kInteger) {
        const ColumnEncoding e = column_.encoding;
        if (e == ColumnEncoding::kDeltaBinaryPacked || e == ColumnEncoding::kAuto) {
          EncodeDeltaBinaryPacked(values_.data(), values_.size(), &encoded_);
          if (e == ColumnEncoding::kDeltaBinaryPacked ||
              encoded_.size() < values_.size() * sizeof(T)) {
            return Encoding::kDeltaBinaryPacked;
          }
          encoded_.clear();
        }
      }
      AppendPlain(values_.data(), values_.size(), &encoded_);
      return Encoding::kPlain;
    }
  }

  Status FlushPage() {
    if (page_rows_ == 0) return Status::OK();
    encoded_levels_.clear();
    if (!spec_.required) {
      if (pages_->version() == DataPageVersion::kV1) {
        EncodeLengthPrefixedLevels(levels_.data(), levels_.size(), 1, &encoded_levels_);
      } else {
        EncodeRleBitPacked(levels_.data(), levels_.size(), 1, &encoded_levels_);
      }
    }
    const Encoding encoding = EncodeValues();
    const int64_t first_row = static_cast<int64_t>(chunk_rows_ - page_rows_);
    SL_RETURN_IF_ERROR(
        pages_->WriteDataPage(encoded_levels_, encoded_, static_cast<int32_t>(page_rows_),
                              static_cast<int32_t>(page_nulls_), encoding, first_row));
    if (stats_enabled_) {
      index_.AddPage(page_minmax_, static_cast<int64_t>(page_rows_),
                     static_cast<int64_t>(page_nulls_));
      chunk_minmax_.Merge(page_minmax_, Order());
    }
    chunk_nulls_ += page_nulls_;
    ResetPage();
    return Status::OK();
  }

  void ResetPage() {
    page_rows_ = 0;
    page_nulls_ = 0;
    levels_.clear();
    num_ids_ = 0;
    values_.clear();
    plain_.clear();
    page_minmax_.Reset();
    ++page_stamp_;
  }

  Statistics ChunkStatistics() const {
    Statistics s;
    s.null_count = static_cast<int64_t>(chunk_nulls_);
    if (!stats_enabled_ || !chunk_minmax_.has_value()) return s;
    if constexpr (kBytes) {
      const size_t limit = static_cast<size_t>(options_.statistics_value_bytes);
      std::optional<std::string> max = TruncateMax(chunk_minmax_.max(), limit);
      if (!max) return s;  // no short upper bound exists: leave min/max out
      s.min_value = TruncateMin(chunk_minmax_.min(), limit);
      s.max_value = std::move(max);
      if (chunk_minmax_.min().size() > limit) s.is_min_value_exact = false;
      if (chunk_minmax_.max().size() > limit) s.is_max_value_exact = false;
    } else {
      s.min_value = EncodeStatistic<T>(chunk_minmax_.min(), true);
      s.max_value = EncodeStatistic<T>(chunk_minmax_.max(), false);
      // The deprecated min/max fields are signed; older readers still look only at them.
      if (sort_order_ == SortOrder::kSigned) {
        s.min = s.min_value;
        s.max = s.max_value;
      }
    }
    return s;
  }

  SplitBlockBloomFilter BuildBloomFilter() const {
    uint64_t ndv = column_.bloom_filter_ndv;
    if (ndv == 0) ndv = bloom_hashes_.size();
    SplitBlockBloomFilter filter(
        SplitBlockBloomFilter::OptimalBytes(std::max<uint64_t>(ndv, 1), column_.bloom_filter_fpp));
    for (uint64_t h : bloom_hashes_) filter.InsertHash(h);
    return filter;
  }

  const WriterOptions& options_;
  const ColumnWriteOptions column_;
  const SortOrder sort_order_;
  const bool stats_enabled_;

  Mode mode_ = Mode::kDictionary;
  Dictionary dictionary_;
  bool used_dictionary_ = false;
  std::vector<uint32_t> seen_in_page_;  // per dictionary id: the last page stamp it appeared in
  uint32_t page_stamp_ = 1;

  // The open page.
  size_t page_rows_ = 0;
  size_t page_nulls_ = 0;
  std::vector<uint8_t> levels_;
  std::vector<uint32_t> ids_;  // grown by doubling; the first num_ids_ are the page's
  size_t num_ids_ = 0;
  std::vector<T> values_;  // numeric and boolean values in value mode
  std::string plain_;      // byte-array values in value mode, PLAIN-encoded as they arrive
  MinMax<T> page_minmax_;

  // The chunk.
  size_t chunk_rows_ = 0;
  size_t chunk_nulls_ = 0;
  MinMax<T> chunk_minmax_;
  ColumnIndexBuilder<T> index_;
  std::vector<uint64_t> bloom_hashes_;

  // Byte arrays in dictionary form: per index of the buffer being written, its id in the chunk's
  // dictionary once looked up.
  static constexpr uint32_t kUnmapped = UINT32_MAX;
  std::vector<uint32_t> remap_;

  // Scratch.
  std::string encoded_levels_;
  std::string encoded_;
  std::string scratch_;
};

}  // namespace

template <Type kType>
std::unique_ptr<ColumnWriter> MakeTypedColumnWriter(const ColumnSpec& spec,
                                                    const WriterOptions& options,
                                                    std::unique_ptr<PageWriter> pages) {
  return std::make_unique<TypedColumnWriter<kType>>(spec, options, std::move(pages));
}

template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kBoolean>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kInt32>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kInt64>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kFloat>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kDouble>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kByteArray>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);
template std::unique_ptr<ColumnWriter> MakeTypedColumnWriter<Type::kFixedLenByteArray>(
    const ColumnSpec&, const WriterOptions&, std::unique_ptr<PageWriter>);

}  // namespace saleslake::parquet
