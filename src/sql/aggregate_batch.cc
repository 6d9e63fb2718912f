// The two ways a row group reaches the kernel: straight from the batch's vectors (the common
// case), or row by row through gathered vectors (joins, collecting a joined table).
#include <algorithm>
#include <limits>

#include "sql/aggregate_scan.h"

namespace saleslake::sql {
namespace {

using table::AggOp;
using table::KeyColumn;

bool FitsInt64(__int128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

}  // namespace

// The common case: keys and values straight from the batch's vectors (dictionary indices for
// strings, unscaled integers for decimals), `rows` the rows passing the WHERE (empty: all).
void AggregateScan::BatchColumnar(std::span<const uint32_t> rows) {
  const auto n = static_cast<size_t>(batch_.num_rows);
  key_scratch_.resize(plan_.keys.size());
  keys_.clear();
  for (size_t k = 0; k < plan_.keys.size(); ++k) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(plan_.keys[k])].expr;
    Scratch& s = key_scratch_[k];
    const AggExpr& col = e.kind == AggExpr::Kind::kDateOf ? *e.lhs : e;
    if (col.column >= ncols_) {
      std::string_view text;
      int64_t v = 0;
      if (ctx_.key_kinds[k] == table::KeyKind::kString) {
        keys_.push_back(KeyText(e, 0, &text) ? KeyColumn::ConstantText(text) : KeyColumn::Null());
      } else {
        keys_.push_back(KeyInt(e, 0, &v) ? KeyColumn::ConstantInt(v) : KeyColumn::Null());
      }
      continue;
    }
    const parquet::ColumnVector* v = Vector(col.column);
    if (v == nullptr) {
      keys_.push_back(KeyColumn::Null());
      continue;
    }
    const uint8_t* valid = v->valid.empty() ? nullptr : v->valid.data();
    if (e.kind == AggExpr::Kind::kDateOf) {
      s.ints.resize(n);
      for (size_t r = 0; r < n; ++r) {
        const int64_t t = v->int64s[r];
        s.ints[r] = t / kMicrosPerDay - (t % kMicrosPerDay < 0 ? 1 : 0);
      }
      keys_.push_back(KeyColumn::Int64(s.ints.data(), valid));
    } else if (ctx_.key_kinds[k] == table::KeyKind::kString) {
      keys_.push_back(v->is_dictionary()
                          ? KeyColumn::Dictionary(v->indices.data(), v->dictionary->binaries, valid)
                          : KeyColumn::Strings(v->binaries.data(), valid));
    } else if (v->physical_type == parquet::Type::kInt64) {
      keys_.push_back(KeyColumn::Int64(v->int64s.data(), valid));
    } else if (v->physical_type == parquet::Type::kInt32) {
      keys_.push_back(KeyColumn::Int32(v->int32s.data(), valid));
    } else {  // booleans
      s.ints.assign(v->bools.begin(), v->bools.end());
      keys_.push_back(KeyColumn::Int64(s.ints.data(), valid));
    }
  }
  kernel_.FindGroups(keys_, rows, n, &groups_);
  agg_scratch_.resize(ctx_.agg_items.size());
  for (size_t a = 0; a < ctx_.agg_items.size(); ++a) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(ctx_.agg_items[a])].expr;
    Scratch& s = agg_scratch_[a];
    table::AggInput in;
    if (e.agg != AggKind::kCountStar) {
      const parquet::ColumnVector* v =
          e.lhs->kind == AggExpr::Kind::kColumn ? Vector(e.lhs->column) : nullptr;
      const bool direct = v != nullptr && (v->physical_type == parquet::Type::kInt64 ||
                                           v->physical_type == parquet::Type::kInt32 ||
                                           v->physical_type == parquet::Type::kByteArray);
      if (direct) {
        in.valid = v->valid.empty() ? nullptr : v->valid.data();
        if (v->physical_type == parquet::Type::kInt64) {
          in.int64s = v->int64s.data();
        } else if (v->physical_type == parquet::Type::kInt32) {
          in.int32s = v->int32s.data();
        } else if (v->is_dictionary()) {
          in.indices = v->indices.data();
          in.dictionary = v->dictionary->binaries;
        } else {
          in.strings = v->binaries.data();
        }
      } else {
        int scale = 0;
        if (!EvalColumn(*e.lhs, &s.ints, &s.valid, &scale)) {
          unsupported_ = true;
          return;
        }
        in.int64s = s.ints.data();
        in.valid = s.valid.data();
      }
    }
    kernel_.Update(a, groups_, rows, in);
  }
}

bool AggregateScan::EvalColumn(const AggExpr& e, std::vector<int64_t>* values,
                               std::vector<uint8_t>* valid, int* scale) {
  const auto n = static_cast<size_t>(batch_.num_rows);
  switch (e.kind) {
    case AggExpr::Kind::kNumber:
      if (!FitsInt64(e.value)) return false;
      values->assign(n, static_cast<int64_t>(e.value));
      valid->assign(n, 1);
      *scale = e.scale;
      return true;
    case AggExpr::Kind::kColumn: {
      const parquet::ColumnVector* v = Vector(e.column);
      if (v == nullptr) {
        const Num c = RawNum(e.column, 0);  // a partition key: one value per file (or NULL)
        values->assign(n, static_cast<int64_t>(c.v));
        valid->assign(n, c.null ? 0 : 1);
        *scale = 0;
        return true;
      }
      *scale = e.scale;
      values->resize(n);
      if (v->physical_type == parquet::Type::kInt64) {
        std::copy(v->int64s.begin(), v->int64s.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else if (v->physical_type == parquet::Type::kInt32) {
        std::copy(v->int32s.begin(), v->int32s.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else if (v->physical_type == parquet::Type::kBoolean) {
        std::copy(v->bools.begin(), v->bools.begin() + static_cast<std::ptrdiff_t>(n),
                  values->begin());
      } else {
        return false;
      }
      if (v->valid.empty()) {
        valid->assign(n, 1);
      } else {
        valid->assign(v->valid.begin(), v->valid.begin() + static_cast<std::ptrdiff_t>(n));
      }
      return true;
    }
    case AggExpr::Kind::kAdd:
    case AggExpr::Kind::kSub:
    case AggExpr::Kind::kMul: {
      std::vector<int64_t> rhs;
      std::vector<uint8_t> rhs_valid;
      int ls = 0, rs = 0;
      if (!EvalColumn(*e.lhs, values, valid, &ls) || !EvalColumn(*e.rhs, &rhs, &rhs_valid, &rs)) {
        return false;
      }
      int64_t* x = values->data();
      const int64_t* y = rhs.data();
      bool overflow = false;
      if (e.kind == AggExpr::Kind::kMul) {
        for (size_t r = 0; r < n; ++r) overflow |= __builtin_mul_overflow(x[r], y[r], &x[r]);
        *scale = ls + rs;
      } else {
        const int s = std::max(ls, rs);
        const __int128 px = Pow10(s - ls), py = Pow10(s - rs);
        if (!FitsInt64(px) || !FitsInt64(py)) return false;
        const auto fx = static_cast<int64_t>(px), fy = static_cast<int64_t>(py);
        for (size_t r = 0; r < n; ++r) {
          int64_t a = x[r], b = y[r];
          if (fx != 1) overflow |= __builtin_mul_overflow(a, fx, &a);
          if (fy != 1) overflow |= __builtin_mul_overflow(b, fy, &b);
          overflow |= e.kind == AggExpr::Kind::kAdd ? __builtin_add_overflow(a, b, &x[r])
                                                    : __builtin_sub_overflow(a, b, &x[r]);
        }
        *scale = s;
      }
      uint8_t* ok = valid->data();
      for (size_t r = 0; r < n; ++r) ok[r] &= rhs_valid[r];
      return !overflow;
    }
    default:
      return false;
  }
}

// Joins and collecting: each row (and each joined row it matches) is looked at in turn, its
// keys and values gathered into vectors the kernel then reads.
void AggregateScan::BatchRowWise(std::span<const uint32_t> rows) {
  if (ctx_.collect != nullptr) {
    JoinTable* c = ctx_.collect;
    for (uint32_t row : rows) {
      if (c->rows >= kJoinBuildRows) {
        unsupported_ = true;
        return;
      }
      for (size_t i = 0; i < plan_.items.size(); ++i) {
        const AggExpr& e = *plan_.items[i].expr;
        c->values[i].push_back(KeyValue(e, row));
        c->nums[i].push_back(RawNum(e.column, row));
      }
      ++c->rows;
    }
    return;
  }
  pair_rows_.clear();
  pair_curs_.clear();
  if (ctx_.join != nullptr) {
    StartProbe();
    const JoinTable& j = *ctx_.join;
    for (uint32_t row : rows) {
      const int32_t list = ProbeList(row);
      if (list < 0) continue;
      const auto l = static_cast<size_t>(list);
      for (uint32_t k = j.list_begin[l]; k < j.list_begin[l + 1]; ++k) {
        pair_rows_.push_back(row);
        pair_curs_.push_back(j.list_rows[k]);
      }
    }
  } else {
    pair_rows_.assign(rows.begin(), rows.end());
    pair_curs_.assign(rows.size(), 0);
  }
  const size_t n = pair_rows_.size();
  key_scratch_.resize(plan_.keys.size());
  keys_.clear();
  for (size_t k = 0; k < plan_.keys.size(); ++k) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(plan_.keys[k])].expr;
    Scratch& s = key_scratch_[k];
    s.valid.resize(n);
    if (ctx_.key_kinds[k] == table::KeyKind::kString && e.side == 1) {
      // The joined row's number is its index into the column's values.
      std::vector<std::string_view>& dict = JoinTexts(e, &s);
      for (size_t i = 0; i < n; ++i) s.valid[i] = s.join_valid[pair_curs_[i]];
      keys_.push_back(KeyColumn::Dictionary(pair_curs_.data(), dict, s.valid.data()));
    } else if (const parquet::ColumnVector* v = e.side == 0 ? Vector(e.column) : nullptr;
               ctx_.key_kinds[k] == table::KeyKind::kString && v != nullptr && v->is_dictionary()) {
      s.indices.resize(n);
      for (size_t i = 0; i < n; ++i) {
        s.indices[i] = v->indices[pair_rows_[i]];
        s.valid[i] = v->IsNull(pair_rows_[i]) ? 0 : 1;
      }
      keys_.push_back(
          KeyColumn::Dictionary(s.indices.data(), v->dictionary->binaries, s.valid.data()));
    } else if (ctx_.key_kinds[k] == table::KeyKind::kString) {
      s.texts.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        s.valid[i] = KeyText(e, pair_rows_[i], &s.texts[i]) ? 1 : 0;
      }
      keys_.push_back(KeyColumn::Strings(s.texts.data(), s.valid.data()));
    } else {
      s.ints.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        s.valid[i] = KeyInt(e, pair_rows_[i], &s.ints[i]) ? 1 : 0;
      }
      keys_.push_back(KeyColumn::Int64(s.ints.data(), s.valid.data()));
    }
  }
  kernel_.FindGroups(keys_, {}, n, &groups_);
  agg_scratch_.resize(ctx_.agg_items.size());
  for (size_t a = 0; a < ctx_.agg_items.size(); ++a) {
    const AggExpr& e = *plan_.items[static_cast<size_t>(ctx_.agg_items[a])].expr;
    Scratch& s = agg_scratch_[a];
    table::AggInput in;
    const AggOp op = ctx_.specs[a].op;
    if (op != AggOp::kCountStar) {
      s.valid.resize(n);
      s.ints.resize(n);
      s.texts.resize(n);
      for (size_t i = 0; i < n; ++i) {
        cur_ = pair_curs_[i];
        const int64_t row = pair_rows_[i];
        if (op == AggOp::kMinString || op == AggOp::kMaxString) {
          s.valid[i] = KeyText(*e.lhs, row, &s.texts[i]) ? 1 : 0;
        } else if (op == AggOp::kMin || op == AggOp::kMax) {
          const Num x = e.lhs->side == 1 ? JoinNum(*e.lhs) : RawNum(e.lhs->column, row);
          s.valid[i] = x.null ? 0 : 1;
          s.ints[i] = static_cast<int64_t>(x.v);
        } else if (op == AggOp::kCount && e.lhs->kind == AggExpr::Kind::kColumn) {
          s.valid[i] = NullAt(*e.lhs, row) ? 0 : 1;
        } else {
          const Num x = Eval(*e.lhs, row);
          if (!FitsInt64(x.v)) {
            unsupported_ = true;
            return;
          }
          s.valid[i] = x.null ? 0 : 1;
          s.ints[i] = static_cast<int64_t>(x.v);
        }
      }
      in.valid = s.valid.data();
      if (op == AggOp::kMinString || op == AggOp::kMaxString) {
        in.strings = s.texts.data();
      } else {
        in.int64s = s.ints.data();
      }
    }
    kernel_.Update(a, groups_, {}, in);
  }
}

std::vector<std::string_view>& AggregateScan::JoinTexts(const AggExpr& e, Scratch* s) {
  if (s->join_texts.empty() && ctx_.join->rows > 0) {
    const auto rows = static_cast<size_t>(ctx_.join->rows);
    s->join_texts.resize(rows);
    s->join_valid.resize(rows);
    for (size_t j = 0; j < rows; ++j) {
      cur_ = static_cast<uint32_t>(j);
      s->join_valid[j] = KeyText(e, 0, &s->join_texts[j]) ? 1 : 0;
    }
  }
  return s->join_texts;
}

}  // namespace saleslake::sql
