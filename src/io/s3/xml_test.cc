#include "io/s3/xml.h"

#include <gtest/gtest.h>

namespace saleslake::io::s3 {
namespace {

TEST(XmlTest, ParsesAListBucketResult) {
  const char* doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>lake</Name><IsTruncated>true</IsTruncated>
  <Contents><Key>raw/a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;</Key><Size>12</Size></Contents>
  <Contents><Key>caf&#233;&#x20AC;</Key><Size>0</Size></Contents>
  <!-- a comment -->
  <NextContinuationToken><![CDATA[1/x+y==]]></NextContinuationToken>
  <Empty/>
</ListBucketResult>)";
  Result<XmlElement> root = ParseXml(doc);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->name, "ListBucketResult");
  EXPECT_EQ(root->ChildText("Name"), "lake");
  EXPECT_EQ(root->ChildText("NextContinuationToken"), "1/x+y==");
  std::vector<std::string> keys;
  for (const XmlElement& c : root->children) {
    if (c.name == "Contents") keys.push_back(c.ChildText("Key"));
  }
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], "raw/a&b <c> \"d\" 'e'");
  EXPECT_EQ(keys[1], "café€");
  ASSERT_NE(root->Child("Empty"), nullptr);
  EXPECT_EQ(root->ChildText("Missing"), "");
}

TEST(XmlTest, NamespacePrefixesAreDropped) {
  Result<XmlElement> root =
      ParseXml("<s3:Error xmlns:s3='x'><s3:Code>NoSuchKey</s3:Code></s3:Error>");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->name, "Error");
  EXPECT_EQ(root->ChildText("Code"), "NoSuchKey");
}

TEST(XmlTest, RefusesMalformedAndHostileDocuments) {
  const char* bad[] = {
      "",
      "plain text",
      "<a><b></a></b>",
      "<a>",
      "<a></a><b></b>",
      "<a>&unknown;</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<a>&#x110000;</a>",
      "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
      "<a b=></a>",
      "<a><![CDATA[never closed</a>",
  };
  for (const char* doc : bad) {
    Result<XmlElement> r = ParseXml(doc);
    EXPECT_FALSE(r.ok()) << doc;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << doc;
    }
  }
}

TEST(XmlTest, LimitsAreEnforced) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  EXPECT_FALSE(ParseXml(deep).ok());
  XmlLimits small;
  small.max_bytes = 10;
  EXPECT_EQ(ParseXml("<a>0123456789</a>", small).status().code(), StatusCode::kResourceExhausted);
  small.max_bytes = 1 << 20;
  small.max_elements = 3;
  EXPECT_FALSE(ParseXml("<a><b/><b/><b/></a>", small).ok());
  EXPECT_TRUE(ParseXml("<a><b/><b/></a>", small).ok());
}

TEST(XmlTest, EscapeRoundTrips) {
  const std::string text = "a&b<c>\"d\"'e'\tf\ng\rh €";
  Result<XmlElement> root = ParseXml("<k>" + XmlEscape(text) + "</k>");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->text, text);
}

}  // namespace
}  // namespace saleslake::io::s3
