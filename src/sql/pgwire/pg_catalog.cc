#include "sql/pgwire/pg_catalog.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <regex>

#include "sql/pgwire/pg_sql_text.h"
#include "sql/pgwire/pg_types.h"

namespace saleslake::sql::pgwire {

const char kServerVersion[] = "15.0";
const char kVersionString[] =
    "PostgreSQL 15.0 (saleslake, read-only SQL over the lake) on x86_64-pc-linux-gnu, 64-bit";

namespace {

constexpr int64_t kPgCatalogNs = 11;
constexpr int64_t kPublicNs = 2200;
constexpr int64_t kInformationSchemaNs = 13000;
constexpr int64_t kFirstTableOid = 16384;
constexpr int64_t kOwner = 10;

struct TypeRow {
  int64_t oid;
  const char* name;
  int len;
  char category;
  int64_t array;       // its array type (0: none)
  const char* format;  // format_type's spelling
};
// The types a result column or a lake column can have, and the few more drivers ask about.
constexpr TypeRow kTypes[] = {
    {16, "bool", 1, 'B', 1000, "boolean"},
    {17, "bytea", -1, 'U', 1001, "bytea"},
    {18, "char", 1, 'S', 1002, "\"char\""},
    {19, "name", 64, 'S', 1003, "name"},
    {20, "int8", 8, 'N', 1016, "bigint"},
    {21, "int2", 2, 'N', 1005, "smallint"},
    {23, "int4", 4, 'N', 1007, "integer"},
    {24, "regproc", 4, 'N', 1008, "regproc"},
    {25, "text", -1, 'S', 1009, "text"},
    {26, "oid", 4, 'N', 1028, "oid"},
    {114, "json", -1, 'U', 199, "json"},
    {700, "float4", 4, 'N', 1021, "real"},
    {701, "float8", 8, 'N', 1022, "double precision"},
    {705, "unknown", -2, 'X', 0, "unknown"},
    {1042, "bpchar", -1, 'S', 1014, "character"},
    {1043, "varchar", -1, 'S', 1015, "character varying"},
    {1082, "date", 4, 'D', 1182, "date"},
    {1083, "time", 8, 'D', 1183, "time without time zone"},
    {1114, "timestamp", 8, 'D', 1115, "timestamp without time zone"},
    {1184, "timestamptz", 8, 'D', 1185, "timestamp with time zone"},
    {1186, "interval", 16, 'T', 1187, "interval"},
    {1700, "numeric", -1, 'N', 1231, "numeric"},
    {2205, "regclass", 4, 'N', 2210, "regclass"},
    {2206, "regtype", 4, 'N', 2211, "regtype"},
    {2950, "uuid", 16, 'U', 2951, "uuid"},
    {3802, "jsonb", -1, 'U', 3807, "jsonb"},
};

// Catalog tables: name, oid, columns (SQLite declarations; BOOLEAN columns go out as bool).
struct CatalogTable {
  const char* schema;
  const char* name;
  int64_t oid;
  const char* columns;
};
constexpr CatalogTable kCatalogTables[] = {
    {"pg_catalog", "pg_namespace", 2615, "oid OID, nspname NAME, nspowner OID, nspacl TEXT"},
    {"pg_catalog", "pg_class", 1259,
     "oid OID, relname NAME, relnamespace OID, reltype OID, reloftype OID, relowner OID, "
     "relam OID, relfilenode OID, reltablespace OID, relpages INTEGER, reltuples REAL, "
     "relallvisible INTEGER, reltoastrelid OID, relhasindex BOOLEAN, relisshared BOOLEAN, "
     "relpersistence CHAR, relkind CHAR, relnatts SMALLINT, relchecks SMALLINT, "
     "relhasrules BOOLEAN, relhastriggers BOOLEAN, relhassubclass BOOLEAN, "
     "relrowsecurity BOOLEAN, relforcerowsecurity BOOLEAN, relispopulated BOOLEAN, "
     "relreplident CHAR, relispartition BOOLEAN, relrewrite OID, relfrozenxid INTEGER, "
     "relminmxid INTEGER, relacl TEXT, reloptions TEXT, relpartbound TEXT"},
    {"pg_catalog", "pg_attribute", 1249,
     "attrelid OID, attname NAME, atttypid OID, attstattarget INTEGER, attlen SMALLINT, "
     "attnum SMALLINT, attndims INTEGER, attcacheoff INTEGER, atttypmod INTEGER, "
     "attbyval BOOLEAN, attalign CHAR, attstorage CHAR, attcompression CHAR, "
     "attnotnull BOOLEAN, atthasdef BOOLEAN, atthasmissing BOOLEAN, attidentity CHAR, "
     "attgenerated CHAR, attisdropped BOOLEAN, attislocal BOOLEAN, attinhcount INTEGER, "
     "attcollation OID, attacl TEXT, attoptions TEXT, attfdwoptions TEXT, attmissingval TEXT"},
    {"pg_catalog", "pg_type", 1247,
     "oid OID, typname NAME, typnamespace OID, typowner OID, typlen SMALLINT, "
     "typbyval BOOLEAN, typtype CHAR, typcategory CHAR, typispreferred BOOLEAN, "
     "typisdefined BOOLEAN, typdelim CHAR, typrelid OID, typsubscript TEXT, typelem OID, "
     "typarray OID, typinput TEXT, typoutput TEXT, typreceive TEXT, typsend TEXT, "
     "typmodin TEXT, typmodout TEXT, typanalyze TEXT, typalign CHAR, typstorage CHAR, "
     "typnotnull BOOLEAN, typbasetype OID, typtypmod INTEGER, typndims INTEGER, "
     "typcollation OID, typdefaultbin TEXT, typdefault TEXT, typacl TEXT"},
    {"pg_catalog", "pg_attrdef", 2604, "oid OID, adrelid OID, adnum SMALLINT, adbin TEXT"},
    {"pg_catalog", "pg_description", 2609,
     "objoid OID, classoid OID, objsubid INTEGER, description TEXT"},
    {"pg_catalog", "pg_constraint", 2606,
     "oid OID, conname NAME, connamespace OID, contype CHAR, condeferrable BOOLEAN, "
     "condeferred BOOLEAN, convalidated BOOLEAN, conrelid OID, contypid OID, conindid OID, "
     "conparentid OID, confrelid OID, confupdtype CHAR, confdeltype CHAR, confmatchtype CHAR, "
     "conislocal BOOLEAN, coninhcount INTEGER, connoinherit BOOLEAN, conkey TEXT, confkey TEXT, "
     "conbin TEXT"},
    {"pg_catalog", "pg_index", 2610,
     "indexrelid OID, indrelid OID, indnatts SMALLINT, indnkeyatts SMALLINT, "
     "indisunique BOOLEAN, indisprimary BOOLEAN, indisexclusion BOOLEAN, "
     "indimmediate BOOLEAN, indisclustered BOOLEAN, indisvalid BOOLEAN, indisready BOOLEAN, "
     "indislive BOOLEAN, indisreplident BOOLEAN, indkey TEXT, indexprs TEXT, indpred TEXT"},
    {"pg_catalog", "pg_am", 2601, "oid OID, amname NAME, amhandler TEXT, amtype CHAR"},
    {"pg_catalog", "pg_collation", 3456,
     "oid OID, collname NAME, collnamespace OID, collowner OID, collprovider CHAR, "
     "collisdeterministic BOOLEAN, collencoding INTEGER, collcollate TEXT, collctype TEXT"},
    {"pg_catalog", "pg_inherits", 2611,
     "inhrelid OID, inhparent OID, inhseqno INTEGER, inhdetachpending BOOLEAN"},
    {"pg_catalog", "pg_database", 1262,
     "oid OID, datname NAME, datdba OID, encoding INTEGER, datcollate TEXT, datctype TEXT, "
     "datistemplate BOOLEAN, datallowconn BOOLEAN, datconnlimit INTEGER, datacl TEXT, "
     "datlocprovider CHAR, daticulocale TEXT"},
    {"pg_catalog", "pg_roles", 12001,
     "oid OID, rolname NAME, rolsuper BOOLEAN, rolinherit BOOLEAN, rolcreaterole BOOLEAN, "
     "rolcreatedb BOOLEAN, rolcanlogin BOOLEAN, rolreplication BOOLEAN, rolconnlimit INTEGER, "
     "rolvaliduntil TEXT, rolbypassrls BOOLEAN, rolconfig TEXT"},
    {"pg_catalog", "pg_user", 12002,
     "usename NAME, usesysid OID, usecreatedb BOOLEAN, usesuper BOOLEAN, userepl BOOLEAN, "
     "usebypassrls BOOLEAN, valuntil TEXT, useconfig TEXT"},
    {"pg_catalog", "pg_settings", 12003,
     "name TEXT, setting TEXT, unit TEXT, category TEXT, short_desc TEXT, context TEXT, "
     "vartype TEXT, source TEXT, min_val TEXT, max_val TEXT, enumvals TEXT, boot_val TEXT, "
     "reset_val TEXT"},
    {"pg_catalog", "pg_proc", 1255,
     "oid OID, proname NAME, pronamespace OID, proowner OID, prolang OID, prokind CHAR, "
     "proretset BOOLEAN, prorettype OID, proargtypes TEXT, pronargs SMALLINT"},
    {"pg_catalog", "pg_enum", 3501, "oid OID, enumtypid OID, enumsortorder REAL, enumlabel NAME"},
    {"pg_catalog", "pg_tables", 12004,
     "schemaname NAME, tablename NAME, tableowner NAME, tablespace NAME, hasindexes BOOLEAN, "
     "hasrules BOOLEAN, hastriggers BOOLEAN, rowsecurity BOOLEAN"},
    {"pg_catalog", "pg_views", 12005,
     "schemaname NAME, viewname NAME, viewowner NAME, definition TEXT"},
    {"pg_catalog", "pg_matviews", 12006,
     "schemaname NAME, matviewname NAME, matviewowner NAME, tablespace NAME, "
     "hasindexes BOOLEAN, ispopulated BOOLEAN, definition TEXT"},
    {"pg_catalog", "pg_stat_user_tables", 12007,
     "relid OID, schemaname NAME, relname NAME, n_live_tup BIGINT, n_dead_tup BIGINT"},
    {"pg_catalog", "pg_extension", 3079,
     "oid OID, extname NAME, extowner OID, extnamespace OID, extrelocatable BOOLEAN, "
     "extversion TEXT"},
    {"pg_catalog", "pg_policy", 3256,
     "oid OID, polname NAME, polrelid OID, polcmd CHAR, polpermissive BOOLEAN, polroles TEXT, "
     "polqual TEXT, polwithcheck TEXT"},
    {"pg_catalog", "pg_statistic_ext", 3381,
     "oid OID, stxrelid OID, stxname NAME, stxnamespace OID, stxowner OID, "
     "stxstattarget INTEGER, stxkeys TEXT, stxkind TEXT, stxexprs TEXT"},
    {"pg_catalog", "pg_publication", 6104,
     "oid OID, pubname NAME, pubowner OID, puballtables BOOLEAN, pubinsert BOOLEAN, "
     "pubupdate BOOLEAN, pubdelete BOOLEAN, pubtruncate BOOLEAN, pubviaroot BOOLEAN"},
    {"pg_catalog", "pg_publication_rel", 6106,
     "oid OID, prpubid OID, prrelid OID, prqual TEXT, prattrs TEXT"},
    {"pg_catalog", "pg_publication_namespace", 6237, "oid OID, pnpubid OID, pnnspid OID"},
    {"pg_catalog", "pg_trigger", 2620,
     "oid OID, tgrelid OID, tgparentid OID, tgname NAME, tgfoid OID, tgtype SMALLINT, "
     "tgenabled CHAR, tgisinternal BOOLEAN"},
    {"pg_catalog", "pg_rewrite", 2618,
     "oid OID, rulename NAME, ev_class OID, ev_type CHAR, ev_enabled CHAR, is_instead BOOLEAN"},
    {"pg_catalog", "pg_foreign_table", 3118, "ftrelid OID, ftserver OID, ftoptions TEXT"},
    {"pg_catalog", "pg_partitioned_table", 3350,
     "partrelid OID, partstrat CHAR, partnatts SMALLINT, partdefid OID"},
    {"pg_catalog", "pg_depend", 2608,
     "classid OID, objid OID, objsubid INTEGER, refclassid OID, refobjid OID, "
     "refobjsubid INTEGER, deptype CHAR"},
    {"pg_catalog", "pg_tablespace", 1213, "oid OID, spcname NAME, spcowner OID"},
    {"pg_catalog", "pg_sequence", 2224, "seqrelid OID, seqtypid OID"},
    {"pg_catalog", "pg_event_trigger", 3466, "oid OID, evtname NAME, evtevent NAME"},
    {"information_schema", "schemata", 13001,
     "catalog_name TEXT, schema_name TEXT, schema_owner TEXT, default_character_set_catalog "
     "TEXT, default_character_set_schema TEXT, default_character_set_name TEXT, sql_path TEXT"},
    {"information_schema", "tables", 13002,
     "table_catalog TEXT, table_schema TEXT, table_name TEXT, table_type TEXT, "
     "self_referencing_column_name TEXT, reference_generation TEXT, user_defined_type_catalog "
     "TEXT, user_defined_type_schema TEXT, user_defined_type_name TEXT, is_insertable_into TEXT, "
     "is_typed TEXT, commit_action TEXT"},
    {"information_schema", "columns", 13003,
     "table_catalog TEXT, table_schema TEXT, table_name TEXT, column_name TEXT, "
     "ordinal_position INTEGER, column_default TEXT, is_nullable TEXT, data_type TEXT, "
     "character_maximum_length INTEGER, character_octet_length INTEGER, numeric_precision "
     "INTEGER, numeric_precision_radix INTEGER, numeric_scale INTEGER, datetime_precision "
     "INTEGER, interval_type TEXT, interval_precision INTEGER, character_set_catalog TEXT, "
     "character_set_schema TEXT, character_set_name TEXT, collation_catalog TEXT, "
     "collation_schema TEXT, collation_name TEXT, domain_catalog TEXT, domain_schema TEXT, "
     "domain_name TEXT, udt_catalog TEXT, udt_schema TEXT, udt_name TEXT, scope_catalog TEXT, "
     "scope_schema TEXT, scope_name TEXT, maximum_cardinality INTEGER, dtd_identifier TEXT, "
     "is_self_referencing TEXT, is_identity TEXT, identity_generation TEXT, identity_start "
     "TEXT, identity_increment TEXT, identity_maximum TEXT, identity_minimum TEXT, "
     "identity_cycle TEXT, is_generated TEXT, generation_expression TEXT, is_updatable TEXT"},
    {"information_schema", "views", 13004,
     "table_catalog TEXT, table_schema TEXT, table_name TEXT, view_definition TEXT"},
    {"information_schema", "table_constraints", 13005,
     "constraint_catalog TEXT, constraint_schema TEXT, constraint_name TEXT, table_catalog "
     "TEXT, table_schema TEXT, table_name TEXT, constraint_type TEXT, is_deferrable TEXT, "
     "initially_deferred TEXT, enforced TEXT"},
    {"information_schema", "key_column_usage", 13006,
     "constraint_catalog TEXT, constraint_schema TEXT, constraint_name TEXT, table_catalog "
     "TEXT, table_schema TEXT, table_name TEXT, column_name TEXT, ordinal_position INTEGER, "
     "position_in_unique_constraint INTEGER"},
    {"information_schema", "routines", 13007,
     "specific_catalog TEXT, specific_schema TEXT, specific_name TEXT, routine_name TEXT, "
     "routine_type TEXT"},
};

std::string Q(std::string_view s) { return QuoteLiteral(s, false); }

const TypeRow* TypeByOid(int64_t oid) {
  for (const TypeRow& t : kTypes) {
    if (t.oid == oid) return &t;
  }
  return nullptr;
}

// What the SQL functions below need: names to oids (for ::regclass) and the session.
struct FunctionData {
  CatalogSession session;
  std::map<std::string, int64_t> relations;  // "name", "schema.name" -> oid
};

std::string Text(sqlite3_value* v) {
  const unsigned char* t = sqlite3_value_text(v);
  return t ? reinterpret_cast<const char*>(t) : "";
}

void ResultText(sqlite3_context* ctx, const std::string& s) {
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

FunctionData* Data(sqlite3_context* ctx) {
  return static_cast<FunctionData*>(sqlite3_user_data(ctx));
}

void Version(sqlite3_context* ctx, int, sqlite3_value**) { ResultText(ctx, kVersionString); }
void CurrentSchema(sqlite3_context* ctx, int, sqlite3_value**) { ResultText(ctx, "public"); }
void CurrentSchemas(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, "{pg_catalog,public}");
}
void CurrentDatabase(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, Data(ctx)->session.database);
}
void CurrentUser(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultText(ctx, Data(ctx)->session.user);
}
void CurrentSetting(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::string name = Text(argv[0]);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string v = SettingValue(name, Data(ctx)->session);
  if (v.empty()) {
    sqlite3_result_error(ctx, ("unrecognized configuration parameter \"" + name + "\"").c_str(),
                         -1);
    return;
  }
  ResultText(ctx, v);
}
void True(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_int(ctx, 1); }
void False(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_int(ctx, 0); }
void Null(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_null(ctx); }
void Zero(sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_int64(ctx, 0); }
// 8192 -> "8192 bytes", 10 kB, MB, GB, TB as PostgreSQL rounds them (halves up, at 10x the unit).
void SizePretty(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  double size = sqlite3_value_double(argv[0]);
  static const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  size_t unit = 0;
  while (unit + 1 < std::size(kUnits) && std::fabs(size) >= 10 * 1024 - 0.5) {
    size /= 1024;
    ++unit;
  }
  ResultText(ctx, fmt::format("{} {}", static_cast<int64_t>(std::llround(size)), kUnits[unit]));
}

void Identity(sqlite3_context* ctx, int, sqlite3_value** argv) {
  sqlite3_result_value(ctx, argv[0]);
}
void Owner(sqlite3_context* ctx, int, sqlite3_value**) { ResultText(ctx, "saleslake"); }
void Encoding(sqlite3_context* ctx, int, sqlite3_value**) { ResultText(ctx, "UTF8"); }

void FormatType(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const int64_t oid = sqlite3_value_int64(argv[0]);
  const int64_t mod =
      sqlite3_value_type(argv[1]) == SQLITE_NULL ? -1 : sqlite3_value_int64(argv[1]);
  const TypeRow* t = TypeByOid(oid);
  if (t == nullptr) return ResultText(ctx, "???");
  std::string s = t->format;
  if (oid == kNumeric && mod >= 4) s += fmt::format("({},{})", (mod - 4) >> 16, (mod - 4) & 0xffff);
  ResultText(ctx, s);
}

void RegClass(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER) return sqlite3_result_value(ctx, argv[0]);
  std::string name = Text(argv[0]);
  std::string lowered;
  for (char c : name) {
    if (c != '"') lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto& rel = Data(ctx)->relations;
  auto it = rel.find(lowered);
  if (it == rel.end()) {
    sqlite3_result_error(ctx, ("relation \"" + name + "\" does not exist").c_str(), -1);
    return;
  }
  sqlite3_result_int64(ctx, it->second);
}

void RegType(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER) {
    const TypeRow* t = TypeByOid(sqlite3_value_int64(argv[0]));
    return ResultText(ctx, t ? t->format : "-");
  }
  std::string name = Text(argv[0]);
  if (name.starts_with("pg_catalog.")) name = name.substr(11);
  for (const TypeRow& t : kTypes) {
    if (name == t.name || name == t.format) return sqlite3_result_int64(ctx, t.oid);
  }
  sqlite3_result_error(ctx, ("type \"" + name + "\" does not exist").c_str(), -1);
}

void ToRegType(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::string name = Text(argv[0]);
  if (name.starts_with("pg_catalog.")) name = name.substr(11);
  for (const TypeRow& t : kTypes) {
    if (name == t.name || name == t.format) return sqlite3_result_int64(ctx, t.oid);
  }
  sqlite3_result_null(ctx);
}

void RegProc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  std::string name = Text(argv[0]);
  if (name.starts_with("pg_catalog.")) name = name.substr(11);
  ResultText(ctx, name);
}

// `text ~ pattern` (POSIX regex in PostgreSQL; ECMAScript here, which agrees on what clients
// send). Inputs are capped: std::regex backtracks, and a hostile pattern must not run for long.
void Regexp(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_null(ctx);
  }
  std::string pattern = Text(argv[0]);
  const std::string text = Text(argv[1]);
  if (pattern.size() > 200 || text.size() > 1000) {
    sqlite3_result_error(ctx, "regular expression or text too long (200/1000 characters)", -1);
    return;
  }
  auto flags = std::regex::ECMAScript | std::regex::nosubs;
  if (pattern.starts_with("(?i)")) {
    pattern = pattern.substr(4);
    flags |= std::regex::icase;
  }
  try {
    sqlite3_result_int(ctx, std::regex_search(text, std::regex(pattern, flags)) ? 1 : 0);
  } catch (const std::exception&) {
    sqlite3_result_error(ctx, ("invalid regular expression: " + pattern).c_str(), -1);
  }
}

void QuoteIdent(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const std::string s = Text(argv[0]);
  bool plain = !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      plain = false;
    }
  }
  if (plain) return ResultText(ctx, s);
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  ResultText(ctx, out + "\"");
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Internal(fmt::format("building pg_catalog: {}", err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  return Status::OK();
}

Status RegisterFunctions(sqlite3* db, FunctionData* data) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const Fn fns[] = {
      {"version", 0, Version},
      {"current_schema", 0, CurrentSchema},
      {"current_schemas", 1, CurrentSchemas},
      {"current_database", 0, CurrentDatabase},
      {"current_catalog", 0, CurrentDatabase},
      {"pg_current_user", 0, CurrentUser},
      {"current_setting", 1, CurrentSetting},
      {"current_setting", 2, CurrentSetting},
      {"pg_table_is_visible", 1, True},
      {"pg_type_is_visible", 1, True},
      {"pg_function_is_visible", 1, True},
      {"has_table_privilege", -1, True},
      {"has_schema_privilege", -1, True},
      {"has_database_privilege", -1, True},
      {"has_column_privilege", -1, True},
      {"has_any_column_privilege", -1, True},
      {"pg_has_role", -1, True},
      {"pg_is_in_recovery", 0, False},
      {"pg_get_userbyid", 1, Owner},
      {"pg_encoding_to_char", 1, Encoding},
      {"format_type", 2, FormatType},
      {"pg_get_expr", -1, Null},
      {"pg_get_constraintdef", -1, Null},
      {"pg_get_indexdef", -1, Null},
      {"pg_get_viewdef", -1, Null},
      {"pg_get_partkeydef", -1, Null},
      {"pg_get_statisticsobjdef_columns", -1, Null},
      {"obj_description", -1, Null},
      {"col_description", -1, Null},
      {"shobj_description", -1, Null},
      {"pg_get_function_result", -1, Null},
      {"pg_get_function_arguments", -1, Null},
      {"pg_get_function_identity_arguments", -1, Null},
      {"pg_size_pretty", 1, SizePretty},
      {"pg_relation_size", -1, Zero},
      {"pg_total_relation_size", -1, Zero},
      {"pg_table_size", -1, Zero},
      {"pg_backend_pid", 0, Zero},
      {"txid_current", 0, Zero},
      {"array_to_string", -1, Identity},
      {"array_upper", -1, Null},
      {"array_lower", -1, Null},
      {"array_length", -1, Null},
      {"pg_relation_is_publishable", 1, False},
      {"quote_ident", 1, QuoteIdent},
      {"pg_regclass", 1, RegClass},
      {"pg_regtype", 1, RegType},
      {"pg_regproc", 1, RegProc},
      {"to_regtype", 1, ToRegType},
      {"regexp", 2, Regexp},
  };
  for (const Fn& f : fns) {
    const int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC;
    if (sqlite3_create_function_v2(db, f.name, f.args, flags, data, f.fn, nullptr, nullptr,
                                   nullptr) != SQLITE_OK) {
      return Status::Internal(fmt::format("registering {}: {}", f.name, sqlite3_errmsg(db)));
    }
  }
  return Status::OK();
}

struct ColumnRow {
  std::string name;
  PgType type;
  bool nullable;
};

std::vector<ColumnRow> ColumnsOf(const table::LakeTable& t) {
  std::vector<ColumnRow> out;
  for (const auto* list : {&t.columns, &t.partition_keys}) {
    for (const table::LakeColumn& c : *list) {
      out.push_back({c.name, TypeOfDeclared(DeclaredType(c)).value_or(PgType{}), c.nullable});
    }
  }
  return out;
}

// The INSERTs of one relation (lake table or catalog table) into pg_class and pg_attribute,
// and into information_schema.tables/columns.
void AddRelation(std::string* sql, int64_t oid, int64_t ns, const std::string& schema,
                 const std::string& name, const std::vector<ColumnRow>& columns,
                 const CatalogSession& session, int64_t rows) {
  *sql += fmt::format(
      "INSERT INTO pg_catalog.pg_class VALUES({},{},{},0,0,{},2,{},0,0,{},0,0,0,0,'p','r',{},0,"
      "0,0,0,0,0,1,'d',0,0,0,0,NULL,NULL,NULL);\n",
      oid, Q(name), ns, kOwner, oid, rows, columns.size());
  *sql += fmt::format("INSERT INTO pg_catalog.pg_tables VALUES({},{},'saleslake',NULL,0,0,0,0);\n",
                      Q(schema), Q(name));
  *sql += fmt::format(
      "INSERT INTO information_schema.tables VALUES({},{},{},'BASE TABLE',NULL,NULL,NULL,NULL,"
      "NULL,'NO','NO',NULL);\n",
      Q(session.database), Q(schema), Q(name));
  if (ns == kPublicNs) {
    *sql += fmt::format("INSERT INTO pg_catalog.pg_stat_user_tables VALUES({},{},{},{},0);\n", oid,
                        Q(schema), Q(name), rows);
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnRow& c = columns[i];
    const TypeRow* t = TypeByOid(c.type.oid);
    *sql += fmt::format(
        "INSERT INTO pg_catalog.pg_attribute VALUES({},{},{},-1,{},{},0,-1,{},0,'i','p','',{},0,"
        "0,'','',0,1,0,{},NULL,NULL,NULL,NULL);\n",
        oid, Q(c.name), c.type.oid, t ? t->len : -1, i + 1, c.type.modifier, c.nullable ? 0 : 1,
        t && t->category == 'S' ? 100 : 0);
    const int p = c.type.modifier >= 4 ? (c.type.modifier - 4) >> 16 : 0;
    const int s = c.type.modifier >= 4 ? (c.type.modifier - 4) & 0xffff : 0;
    const bool numeric = c.type.oid == kNumeric;
    *sql += fmt::format(
        "INSERT INTO information_schema.columns (table_catalog, table_schema, table_name, "
        "column_name, ordinal_position, is_nullable, data_type, numeric_precision, "
        "numeric_precision_radix, numeric_scale, udt_catalog, udt_schema, udt_name, "
        "is_identity, is_generated, is_updatable, dtd_identifier) VALUES({},{},{},{},{},{},{},"
        "{},{},{},{},'pg_catalog',{},'NO','NEVER','NO','{}');\n",
        Q(session.database), Q(schema), Q(name), Q(c.name), i + 1, c.nullable ? "'YES'" : "'NO'",
        Q(t ? t->format : "text"), numeric && p ? std::to_string(p) : "NULL",
        numeric ? "10" : "NULL", numeric && p ? std::to_string(s) : "NULL", Q(session.database),
        Q(t ? t->name : "text"), i + 1);
  }
}

// "a INTEGER, b NAME" -> the columns with their types.
std::vector<ColumnRow> ParseColumns(std::string_view decl) {
  std::vector<ColumnRow> out;
  size_t start = 0;
  while (start < decl.size()) {
    size_t comma = decl.find(',', start);
    std::string_view one =
        decl.substr(start, comma == std::string_view::npos ? decl.npos : comma - start);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    const size_t sp = one.find(' ');
    out.push_back({std::string(one.substr(0, sp)),
                   TypeOfDeclared(one.substr(sp + 1)).value_or(PgType{}), true});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::string SettingValue(const std::string& name, const CatalogSession& session) {
  static const std::map<std::string, std::string> kSettings = {
      {"server_version", kServerVersion},
      {"server_version_num", "150000"},
      {"server_encoding", "UTF8"},
      {"client_encoding", "UTF8"},
      {"datestyle", "ISO, MDY"},
      {"intervalstyle", "postgres"},
      {"timezone", "UTC"},
      {"time zone", "UTC"},
      {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"},
      {"transaction isolation level", "read committed"},
      {"transaction_isolation", "read committed"},
      {"default_transaction_isolation", "read committed"},
      {"transaction_read_only", "on"},
      {"transaction read only", "on"},
      {"default_transaction_read_only", "on"},
      {"search_path", "\"$user\", public"},
      {"max_identifier_length", "63"},
      {"max_index_keys", "32"},
      {"extra_float_digits", "3"},
      {"lc_collate", "C"},
      {"lc_ctype", "C"},
      {"lc_messages", "C"},
      {"is_superuser", "off"},
      {"in_hot_standby", "off"},
      {"statement_timeout", "0"},
      {"bytea_output", "hex"},
      {"block_size", "8192"},
      {"max_connections", "64"},
      {"application_name", ""},
  };
  if (name == "session_authorization") return session.user;
  if (session.settings) {
    auto set = session.settings->find(name);
    if (set != session.settings->end()) return set->second;
  }
  auto it = kSettings.find(name);
  return it == kSettings.end() ? "" : it->second;
}

QueryEngine::Setup CatalogSetup(const std::vector<table::LakeTable>& tables,
                                const CatalogSession& session) {
  return [tables, session](sqlite3* db) -> Status {
    auto data = std::make_unique<FunctionData>();
    data->session = session;
    std::string sql =
        "ATTACH ':memory:' AS pg_catalog;\nATTACH ':memory:' AS information_schema;\n";
    for (const CatalogTable& t : kCatalogTables) {
      sql += fmt::format("CREATE TABLE {}.{}({});\n", t.schema, t.name, t.columns);
    }
    sql += fmt::format(
        "INSERT INTO pg_catalog.pg_namespace VALUES({},'pg_catalog',{},NULL),({},'public',{},"
        "NULL),({},'information_schema',{},NULL);\n",
        kPgCatalogNs, kOwner, kPublicNs, kOwner, kInformationSchemaNs, kOwner);
    sql += fmt::format(
        "INSERT INTO information_schema.schemata VALUES({0},'pg_catalog','saleslake',NULL,NULL,"
        "NULL,NULL),({0},'public','saleslake',NULL,NULL,NULL,NULL),({0},'information_schema',"
        "'saleslake',NULL,NULL,NULL,NULL);\n",
        Q(session.database));
    sql += fmt::format(
        "INSERT INTO pg_catalog.pg_database VALUES(16383,{},{},6,'C','C',0,1,-1,NULL,'c',"
        "NULL);\n",
        Q(session.database), kOwner);
    sql += fmt::format(
        "INSERT INTO pg_catalog.pg_roles VALUES({},{},0,1,0,0,1,0,-1,NULL,0,NULL);\n"
        "INSERT INTO pg_catalog.pg_user VALUES({},{},0,0,0,0,NULL,NULL);\n",
        kOwner, Q(session.user), Q(session.user), kOwner);
    sql += "INSERT INTO pg_catalog.pg_am VALUES(2,'heap','heap_tableam_handler','t');\n";
    sql +=
        "INSERT INTO pg_catalog.pg_collation VALUES(100,'default',11,10,'d',1,-1,NULL,NULL),"
        "(950,'C',11,10,'c',1,-1,'C','C');\n";
    for (const TypeRow& t : kTypes) {
      const bool byval = t.len > 0 && t.len <= 8;
      sql += fmt::format(
          "INSERT INTO pg_catalog.pg_type VALUES({},{},{},{},{},{},'b',{},0,1,',',0,NULL,0,{},{},"
          "{},{},{},NULL,NULL,NULL,'i','p',0,0,-1,0,{},NULL,NULL,NULL);\n",
          t.oid, Q(t.name), kPgCatalogNs, kOwner, t.len, byval ? 1 : 0,
          Q(std::string(1, t.category)), t.array, Q(std::string(t.name) + "in"),
          Q(std::string(t.name) + "out"), Q(std::string(t.name) + "recv"),
          Q(std::string(t.name) + "send"), t.category == 'S' ? 100 : 0);
      if (t.array != 0) {
        sql += fmt::format(
            "INSERT INTO pg_catalog.pg_type VALUES({},{},{},{},-1,0,'b','A',0,1,',',0,NULL,{},0,"
            "'array_in','array_out','array_recv','array_send',NULL,NULL,NULL,'i','x',0,0,-1,0,0,"
            "NULL,NULL,NULL);\n",
            t.array, Q(std::string("_") + t.name), kPgCatalogNs, kOwner, t.oid);
      }
    }
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"server_version", kServerVersion},
                                                          {"server_version_num", "150000"},
                                                          {"max_index_keys", "32"},
                                                          {"max_identifier_length", "63"},
                                                          {"TimeZone", "UTC"},
                                                          {"DateStyle", "ISO, MDY"},
                                                          {"standard_conforming_strings", "on"},
                                                          {"search_path", "\"$user\", public"}}) {
      sql += fmt::format(
          "INSERT INTO pg_catalog.pg_settings (name, setting, context, vartype, source) "
          "VALUES({},{},'internal','string','default');\n",
          Q(name), Q(value));
    }
    for (const CatalogTable& t : kCatalogTables) {
      const bool pg = std::string_view(t.schema) == "pg_catalog";
      AddRelation(&sql, t.oid, pg ? kPgCatalogNs : kInformationSchemaNs, t.schema, t.name,
                  ParseColumns(t.columns), session, 0);
      data->relations[std::string(t.name)] = t.oid;
      data->relations[std::string(t.schema) + "." + t.name] = t.oid;
    }
    for (size_t i = 0; i < tables.size(); ++i) {
      const table::LakeTable& t = tables[i];
      const int64_t oid = kFirstTableOid + static_cast<int64_t>(i);
      int64_t rows = 0;
      for (const auto& f : t.files) rows += f.rows;
      AddRelation(&sql, oid, kPublicNs, "public", t.name, ColumnsOf(t), session, rows);
      std::string lower = t.name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      data->relations[lower] = oid;
      data->relations["public." + lower] = oid;
      for (const std::string& alias : t.aliases) data->relations[alias] = oid;
    }
    SL_RETURN_IF_ERROR(Exec(db, "BEGIN;\n" + sql + "COMMIT;"));
    FunctionData* raw = data.get();
    SL_RETURN_IF_ERROR(RegisterFunctions(db, raw));
    // The function data lives as long as the connection: a no-op function owns it.
    if (sqlite3_create_function_v2(
            db, "pg_catalog_owner", 0, SQLITE_UTF8, data.release(), Zero, nullptr, nullptr,
            [](void* p) { delete static_cast<FunctionData*>(p); }) != SQLITE_OK) {
      return Status::Internal("registering the catalog's functions failed");
    }
    return Status::OK();
  };
}

}  // namespace saleslake::sql::pgwire
