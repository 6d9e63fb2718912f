#include <gtest/gtest.h>

#include "sql/pgwire/pg_messages.h"
#include "sql/pgwire/pg_settings.h"
#include "sql/pgwire/pg_sql_text.h"
#include "sql/pgwire/pg_types.h"

namespace saleslake::sql::pgwire {
namespace {

TEST(PgSqlTextTest, CastsBecomeFunctionsOrCasts) {
  EXPECT_EQ(RewritePostgres("SELECT 'pg_class'::regclass"), "SELECT pg_regclass ( 'pg_class' )");
  // The catalog's types here; the types of values (text, int, date, ...) are the dialect's.
  EXPECT_EQ(RewritePostgres("SELECT c.reloftype::pg_catalog.regtype::pg_catalog.text"),
            "SELECT pg_regtype ( c.reloftype ) :: text");
  EXPECT_EQ(RewritePostgres("SELECT c.oid::oid, a.attname::name, x::text[]"),
            "SELECT CAST ( c.oid AS BIGINT ) , CAST ( a.attname AS VARCHAR ) , ( x )");
  EXPECT_EQ(RewritePostgres("SELECT count(*)::int FROM t"), "SELECT count(*)::int FROM t");
  EXPECT_EQ(RewritePostgres("SELECT 1"), "SELECT 1");
  EXPECT_EQ(RewritePostgres("SELECT array_to_string(x, E'\\n'), E'it''s\\\\'"),
            "SELECT array_to_string ( x , '\n' ) , 'it''s\\'");
}

TEST(PgSqlTextTest, PsqlRegexAndCollate) {
  EXPECT_EQ(RewritePostgres("WHERE c.relname OPERATOR(pg_catalog.~) '^(sales)$' COLLATE "
                            "pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid)"),
            "WHERE c.relname REGEXP '^(sales)$' AND pg_table_is_visible ( c.oid )");
  EXPECT_EQ(RewritePostgres("WHERE n.nspname !~ '^pg_toast'"),
            "WHERE n.nspname NOT REGEXP '^pg_toast'");
}

TEST(PgSqlTextTest, CurrentUserAndExtractLeftToTheDialect) {
  EXPECT_EQ(RewritePostgres("SELECT EXTRACT(YEAR FROM timestamp), current_user"),
            "SELECT EXTRACT ( YEAR FROM timestamp ) , pg_current_user()");
}

TEST(PgSettingsTest, SetResetAndStatementTimeout) {
  std::optional<SettingChange> c = ParseSettingChange("SET statement_timeout = '5s'");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "statement_timeout");
  EXPECT_EQ(*c->value, "5s");
  c = ParseSettingChange("set SESSION Statement_Timeout TO 5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c->value, "5000");
  c = ParseSettingChange("SET datestyle TO ISO, MDY");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c->value, "ISO, MDY");
  c = ParseSettingChange("SET statement_timeout TO DEFAULT");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->value);
  EXPECT_TRUE(ParseSettingChange("RESET ALL")->all);
  EXPECT_EQ(ParseSettingChange("RESET statement_timeout")->name, "statement_timeout");
  EXPECT_FALSE(ParseSettingChange("SET TIME ZONE 'UTC'"));
  EXPECT_FALSE(ParseSettingChange("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));

  EXPECT_EQ(*ParseMilliseconds("5000"), 5000);
  EXPECT_EQ(*ParseMilliseconds("5s"), 5000);
  EXPECT_EQ(*ParseMilliseconds("1.5 s"), 1500);
  EXPECT_EQ(*ParseMilliseconds("2min"), 120000);
  EXPECT_FALSE(ParseMilliseconds("-1"));
  EXPECT_FALSE(ParseMilliseconds("5 parsecs"));
  EXPECT_FALSE(ParseMilliseconds("99999999999"));

  SessionSettings s;
  std::string state, error;
  EXPECT_TRUE(s.Apply(*ParseSettingChange("SET statement_timeout = 5000"), false, &state, &error));
  EXPECT_EQ(s.values()->at("statement_timeout"), "5s");
  EXPECT_DOUBLE_EQ(s.statement_timeout_seconds(), 5);
  EXPECT_FALSE(
      s.Apply(*ParseSettingChange("SET statement_timeout = 'soon'"), false, &state, &error));
  EXPECT_EQ(state, "22023");
  // SET LOCAL lasts until the transaction ends; outside one it does nothing.
  EXPECT_TRUE(
      s.Apply(*ParseSettingChange("SET LOCAL statement_timeout = 250"), true, &state, &error));
  EXPECT_DOUBLE_EQ(s.statement_timeout_seconds(), 0.25);
  s.EndTransaction();
  EXPECT_DOUBLE_EQ(s.statement_timeout_seconds(), 5);
  EXPECT_TRUE(
      s.Apply(*ParseSettingChange("SET LOCAL statement_timeout = 250"), false, &state, &error));
  EXPECT_DOUBLE_EQ(s.statement_timeout_seconds(), 5);
  EXPECT_TRUE(s.Apply(*ParseSettingChange("RESET statement_timeout"), false, &state, &error));
  EXPECT_DOUBLE_EQ(s.statement_timeout_seconds(), 0);
  // From a startup packet: node-postgres's parameter, libpq's PGOPTIONS.
  std::vector<SettingChange> startup = StartupSettingChanges(
      {{"user", "ana"}, {"statement_timeout", "2000"}, {"options", "-c search_path=x --a-b=1"}});
  ASSERT_EQ(startup.size(), 3u);
  EXPECT_EQ(startup[0].name, "statement_timeout");
  EXPECT_EQ(*startup[1].value, "x");
  EXPECT_EQ(startup[2].name, "a_b");
  // The server's facts stay as they are.
  EXPECT_TRUE(s.Apply(*ParseSettingChange("SET server_version = '9'"), false, &state, &error));
  EXPECT_EQ(s.values()->count("server_version"), 0u);
}

TEST(PgSqlTextTest, SplitParametersAndClassify) {
  EXPECT_EQ(SplitStatements("SET a = 1; SELECT ';' ;; "),
            (std::vector<std::string>{"SET a = 1", " SELECT ';' "}));
  std::string out, error;
  ASSERT_TRUE(SubstituteParameters("SELECT $1, $2", {"5", "'x'"}, &out, &error));
  EXPECT_EQ(out, "SELECT  5 ,  'x' ");
  EXPECT_FALSE(SubstituteParameters("SELECT $3", {"1"}, &out, &error));
  EXPECT_EQ(QuoteLiteral("it's", true), "'it''s'");
  EXPECT_EQ(QuoteLiteral("007", true), "'007'");
  EXPECT_EQ(QuoteLiteral("-1.5", true), "-1.5");
  EXPECT_EQ(Classify("begin read only").tag, "BEGIN");
  EXPECT_EQ(Classify("START TRANSACTION").tag, "START TRANSACTION");
  EXPECT_EQ(Classify("end").tag, "COMMIT");
  EXPECT_EQ(Classify("discard all").tag, "DISCARD ALL");
  EXPECT_EQ(Classify("SET statement_timeout = 5000").kind, StatementKind::kNoOp);
  EXPECT_EQ(Classify("SHOW TABLES").kind, StatementKind::kQuery);
  EXPECT_EQ(Classify("SHOW statement_timeout").kind, StatementKind::kShow);
  EXPECT_EQ(Classify("SHOW TRANSACTION ISOLATION LEVEL").show, "transaction isolation level");
  EXPECT_EQ(Classify("insert into t values (1)").kind, StatementKind::kWrite);
  EXPECT_EQ(Classify("  -- nothing\n").kind, StatementKind::kEmpty);
}

TEST(PgTypesTest, BinaryFormats) {
  std::string error;
  PgType numeric = *TypeOfDeclared("DECIMAL(18,2)");
  EXPECT_EQ(numeric.oid, kNumeric);
  EXPECT_EQ(*EncodeText(Value(118999.15), numeric, &error), "118999.15");
  // 118999.15 = 11 | 8999 . 1500 with weight 1, dscale 2.
  std::string b = *EncodeBinary(Value(118999.15), numeric, &error);
  EXPECT_EQ(b, std::string("\0\3\0\1\0\0\0\2\0\x0b\x23\x27\x05\xdc", 14));
  EXPECT_EQ(*NumericFromBinary(b), "118999.15");
  EXPECT_EQ(*NumericFromBinary(*NumericBinary("-0.0005")), "-0.0005");
  EXPECT_EQ(*NumericFromBinary(*NumericBinary("100000000")), "100000000");
  EXPECT_EQ(*PgDays("2000-01-02"), 1);
  EXPECT_EQ(FormatPgDate(-1), "1999-12-31");
  EXPECT_EQ(FormatPgTimestamp(*PgMicros("2026-11-26 10:00:00.25")), "2026-11-26 10:00:00.25");
  PgType ts = *TypeOfDeclared("TIMESTAMP");
  EXPECT_EQ(EncodeBinary(Value(std::string("2000-01-01 00:00:01")), ts, &error)->size(), 8u);
  EXPECT_FALSE(EncodeBinary(Value(std::string("x")), *TypeOfDeclared("BIGINT"), &error));
  EXPECT_FALSE(error.empty());
}

TEST(PgMessagesTest, HostileLengthsAreRefused) {
  // Bind claiming 30000 parameters in a short message.
  std::string bind("\0\0\0\0\x75\x30", 6);
  EXPECT_FALSE(ParseBind(bind).ok());
  EXPECT_FALSE(ParseParse(std::string("s\0q", 3)).ok());
  Result<StartupPacket> s = ParseStartup(std::string("\0\3\0\0user\0ana\0\0", 14));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Parameter("user"), "ana");
  EXPECT_FALSE(ParseExecute(std::string("p\0\xff\xff\xff\xff", 6)).ok());
}

}  // namespace
}  // namespace saleslake::sql::pgwire
