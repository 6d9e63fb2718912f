#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace saleslake {
namespace {

TEST(JsonWriterTest, NestedWithCommas) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("a", int64_t{1});
  w.Key("list");
  w.BeginArray();
  w.String("x\"y");
  w.Null();
  w.Bool(true);
  w.Double(1.5);
  w.Double(std::nan(""));
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Field("s", "t\n\x01");
  w.EndObject();
  EXPECT_EQ(out, R"({"a":1,"list":["x\"y",null,true,1.5,null,{}],"s":"t\n\u0001"})");
}

TEST(JsonWriterTest, Utf8PassesThrough) {
  std::string out;
  AppendJsonString(&out, "Mumbai \xe2\x82\xb9");
  EXPECT_EQ(out, "\"Mumbai \xe2\x82\xb9\"");
}

}  // namespace
}  // namespace saleslake
