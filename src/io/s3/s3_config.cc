#include "io/s3/s3_config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/clock.h"
#include "base/storage_flags.h"
#include "base/strings.h"
#include "io/s3/aws_ini.h"

namespace saleslake::io::s3 {
namespace {

// Non-empty environment value, else nullopt.
std::optional<std::string> Env(const ConfigSources& src, const char* name) {
  std::optional<std::string> v = src.getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

const std::string* Find(const IniSections& ini, const std::string& section,
                        const std::string& key) {
  auto s = ini.find(section);
  if (s == ini.end()) return nullptr;
  auto k = s->second.find(key);
  if (k == s->second.end() || k->second.empty()) return nullptr;
  return &k->second;
}

struct ProfileFiles {
  std::string profile;
  bool profile_explicit = false;
  std::string credentials_path, config_path;
  std::string credentials_display, config_display;  // "~/.aws/credentials" or the env path
  IniSections credentials, config;
  std::string config_section;  // "default" or "profile NAME"
  bool found_in_credentials = false, found_in_config = false;

  const std::string* Config(const std::string& key) const {
    return Find(config, config_section, key);
  }
};

Result<IniSections> ReadIni(const ConfigSources& src, const std::string& path,
                            const std::string& display) {
  SL_ASSIGN_OR_RETURN(std::optional<std::string> text, src.read_file(path));
  if (!text) return IniSections{};
  return ParseAwsIni(*text, display);
}

Result<ProfileFiles> LoadProfileFiles(const ConfigSources& src) {
  ProfileFiles f;
  if (auto p = Env(src, "AWS_PROFILE")) {
    f.profile = *p;
    f.profile_explicit = true;
  } else if (auto d = Env(src, "AWS_DEFAULT_PROFILE")) {
    f.profile = *d;
    f.profile_explicit = true;
  } else {
    f.profile = "default";
  }
  std::string home = Env(src, "HOME").value_or("");
  if (auto p = Env(src, "AWS_SHARED_CREDENTIALS_FILE")) {
    f.credentials_path = f.credentials_display = *p;
  } else {
    f.credentials_path = home + "/.aws/credentials";
    f.credentials_display = "~/.aws/credentials";
  }
  if (auto p = Env(src, "AWS_CONFIG_FILE")) {
    f.config_path = f.config_display = *p;
  } else {
    f.config_path = home + "/.aws/config";
    f.config_display = "~/.aws/config";
  }
  SL_ASSIGN_OR_RETURN(f.credentials, ReadIni(src, f.credentials_path, f.credentials_display));
  SL_ASSIGN_OR_RETURN(f.config, ReadIni(src, f.config_path, f.config_display));
  f.config_section = f.profile == "default" ? "default" : "profile " + f.profile;
  f.found_in_credentials = f.credentials.count(f.profile) > 0;
  f.found_in_config = f.config.count(f.config_section) > 0;
  return f;
}

Result<AwsCredentials> ResolveCredentials(const ConfigSources& src, const ProfileFiles& f) {
  AwsCredentials c;
  auto id = Env(src, "AWS_ACCESS_KEY_ID");
  auto secret = Env(src, "AWS_SECRET_ACCESS_KEY");
  if (id && secret) {
    c.access_key_id = *id;
    c.secret_access_key = *secret;
    c.session_token = Env(src, "AWS_SESSION_TOKEN").value_or("");
    c.source = "the environment (AWS_ACCESS_KEY_ID)";
    return c;
  }
  if (id || secret) {
    return Status::InvalidArgument(
        std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                       : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
        ": set both, or neither to use a profile");
  }
  auto from = [&](const IniSections& ini, const std::string& section,
                  const std::string& display) -> bool {
    const std::string* key_id = Find(ini, section, "aws_access_key_id");
    const std::string* key = Find(ini, section, "aws_secret_access_key");
    if (!key_id || !key) return false;
    c.access_key_id = *key_id;
    c.secret_access_key = *key;
    const std::string* token = Find(ini, section, "aws_session_token");
    c.session_token = token ? *token : "";
    c.source = "profile '" + f.profile + "' in " + display;
    return true;
  };
  if (from(f.credentials, f.profile, f.credentials_display)) return c;
  if (from(f.config, f.config_section, f.config_display)) return c;
  if (f.Config("credential_process") || f.Config("sso_start_url") || f.Config("sso_session") ||
      f.Config("role_arn") || Find(f.credentials, f.profile, "role_arn")) {
    return Status::NotSupported(
        "profile '" + f.profile +
        "' gets its credentials from SSO, a role or a process, which saleslake does not run; "
        "export them first: eval \"$(aws configure export-credentials --profile " +
        f.profile + " --format env)\"");
  }
  if (f.profile_explicit && !f.found_in_credentials && !f.found_in_config) {
    return Status::InvalidArgument("AWS profile '" + f.profile + "' not found in " +
                                   f.credentials_display + " or " + f.config_display);
  }
  return Status::InvalidArgument(
      "no AWS credentials for S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
      "naming a profile in " +
      f.credentials_display);
}

Status CheckEndpointUrl(const std::string& url, const std::string& from) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(from + " '" + url +
                                   "' is not an http:// or https:// URL (e.g. "
                                   "http://127.0.0.1:9000)");
  }
  std::string_view rest = std::string_view(url).substr(url.find("://") + 3);
  if (rest.empty() || rest.front() == '/') {
    return Status::InvalidArgument(from + " '" + url + "' has no host");
  }
  if (url.find_first_of("?# ") != std::string::npos) {
    return Status::InvalidArgument(from + " '" + url +
                                   "' must not hold a query, fragment or space");
  }
  return Status::OK();
}

Result<int64_t> EnvDurationMs(const ConfigSources& src, const char* name, int64_t fallback) {
  auto v = Env(src, name);
  if (!v) return fallback;
  Result<int64_t> micros = ParseDurationMicros(*v);
  if (!micros.ok() || *micros <= 0) {
    return Status::InvalidArgument(std::string(name) + "='" + *v +
                                   "' is not a positive duration such as 30s or 500ms");
  }
  return *micros / 1000;
}

}  // namespace

Result<bool> ParseConfigBool(std::string_view name, std::string_view value) {
  std::string v = Lower(value);
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  return Status::InvalidArgument(std::string(name) + "='" + std::string(value) +
                                 "' is not a boolean (use true or false)");
}

ConfigSources ProcessConfigSources() {
  ConfigSources s;
  s.getenv = [](const std::string& name) -> std::optional<std::string> {
    // The command's --s3-* flags come first (base/storage_flags.h), as their variables would.
    const StorageFlags flags = GetStorageFlags();
    if (name == "SALESLAKE_S3_ENDPOINT" && !flags.s3_endpoint.empty()) return flags.s3_endpoint;
    if (name == "SALESLAKE_S3_REGION" && !flags.s3_region.empty()) return flags.s3_region;
    if (name == "SALESLAKE_S3_NO_VERIFY_TLS" && flags.s3_no_verify_tls) return std::string("1");
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  s.read_file = [](const std::string& path) -> Result<std::optional<std::string>> {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
      return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
    }
    std::string text;
    char buf[4096];
    size_t n;
    // An AWS config file is a few KiB; a huge one is a mistake, not a config.
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() < (1 << 20)) {
      text.append(buf, n);
    }
    bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) return Status::IOError("cannot read " + path);
    return std::optional<std::string>(std::move(text));
  };
  return s;
}

Result<S3Config> LoadS3Config(const ConfigSources& src) {
  S3Config cfg;
  SL_ASSIGN_OR_RETURN(ProfileFiles files, LoadProfileFiles(src));

  if (auto r = Env(src, "SALESLAKE_S3_REGION")) {
    cfg.region = *r;
  } else if (auto r2 = Env(src, "AWS_REGION")) {
    cfg.region = *r2;
  } else if (auto r3 = Env(src, "AWS_DEFAULT_REGION")) {
    cfg.region = *r3;
  } else if (const std::string* r4 = files.Config("region")) {
    cfg.region = *r4;
  }

  bool ignore_configured = false;
  if (auto v = Env(src, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    SL_ASSIGN_OR_RETURN(ignore_configured,
                        ParseConfigBool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", *v));
  }
  std::string endpoint_from;
  if (auto e = Env(src, "SALESLAKE_S3_ENDPOINT")) {
    cfg.endpoint_url = *e;
    endpoint_from = "--s3-endpoint (SALESLAKE_S3_ENDPOINT)";
  } else if (!ignore_configured) {
    if (auto e2 = Env(src, "AWS_ENDPOINT_URL_S3")) {
      cfg.endpoint_url = *e2;
      endpoint_from = "AWS_ENDPOINT_URL_S3";
    } else if (auto e3 = Env(src, "AWS_ENDPOINT_URL")) {
      cfg.endpoint_url = *e3;
      endpoint_from = "AWS_ENDPOINT_URL";
    } else if (const std::string* e4 = files.Config("s3.endpoint_url")) {
      cfg.endpoint_url = *e4;
      endpoint_from = "s3.endpoint_url in " + files.config_display;
    } else if (const std::string* e5 = files.Config("endpoint_url")) {
      cfg.endpoint_url = *e5;
      endpoint_from = "endpoint_url in " + files.config_display;
    }
  }
  while (!cfg.endpoint_url.empty() && cfg.endpoint_url.back() == '/') cfg.endpoint_url.pop_back();
  if (!cfg.endpoint_url.empty())
    SL_RETURN_IF_ERROR(CheckEndpointUrl(cfg.endpoint_url, endpoint_from));

  cfg.addressing =
      cfg.endpoint_url.empty() ? AddressingStyle::kVirtualHosted : AddressingStyle::kPath;
  std::optional<std::string> style = Env(src, "SALESLAKE_S3_ADDRESSING");
  std::string style_from = "SALESLAKE_S3_ADDRESSING";
  if (!style) {
    if (const std::string* s = files.Config("s3.addressing_style")) {
      style = *s;
      style_from = "s3.addressing_style in " + files.config_display;
    }
  }
  if (style) {
    std::string s = Lower(*style);
    if (s == "path") {
      cfg.addressing = AddressingStyle::kPath;
    } else if (s == "virtual") {
      cfg.addressing = AddressingStyle::kVirtualHosted;
    } else if (s != "auto") {
      return Status::InvalidArgument(style_from + "='" + *style +
                                     "' must be path, virtual or auto");
    }
  }

  if (auto v = Env(src, "SALESLAKE_S3_NO_VERIFY_TLS")) {
    SL_ASSIGN_OR_RETURN(bool no_verify, ParseConfigBool("SALESLAKE_S3_NO_VERIFY_TLS", *v));
    cfg.verify_tls = !no_verify;
  }
  if (auto ca = Env(src, "AWS_CA_BUNDLE")) {
    cfg.ca_bundle = *ca;
  } else if (const std::string* ca2 = files.Config("ca_bundle")) {
    cfg.ca_bundle = *ca2;
  }
  if (auto v = Env(src, "SALESLAKE_S3_MAX_ATTEMPTS")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 100) {
      return Status::InvalidArgument("SALESLAKE_S3_MAX_ATTEMPTS='" + *v +
                                     "' must be a number from 1 to 100");
    }
    cfg.retry.max_attempts = static_cast<int>(n);
  }
  if (auto v = Env(src, "SALESLAKE_S3_UPLOAD_CONCURRENCY")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 64) {
      return Status::InvalidArgument("SALESLAKE_S3_UPLOAD_CONCURRENCY='" + *v +
                                     "' must be a number from 1 to 64");
    }
    cfg.upload_concurrency = static_cast<int>(n);
  }
  SL_ASSIGN_OR_RETURN(cfg.connect_timeout_ms,
                      EnvDurationMs(src, "SALESLAKE_S3_CONNECT_TIMEOUT", cfg.connect_timeout_ms));
  SL_ASSIGN_OR_RETURN(cfg.request_timeout_ms,
                      EnvDurationMs(src, "SALESLAKE_S3_REQUEST_TIMEOUT", cfg.request_timeout_ms));

  SL_ASSIGN_OR_RETURN(cfg.credentials, ResolveCredentials(src, files));
  return cfg;
}

Result<S3Config> LoadS3ConfigFromEnvironment() { return LoadS3Config(ProcessConfigSources()); }

}  // namespace saleslake::io::s3
