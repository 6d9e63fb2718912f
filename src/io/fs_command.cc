#include "io/fs_command.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/cli.h"
#include "base/clock.h"
#include "base/json_writer.h"
#include "base/storage_flags.h"
#include "base/suggest.h"
#include "io/fs_command_internal.h"
#include "io/path.h"

#if defined(SALESLAKE_WITH_S3)
#include "io/s3/s3_factory.h"
#endif

namespace saleslake::io {
namespace fs_command {
namespace {

constexpr size_t kCatChunkBytes = 4 << 20;

void AppendInfoJson(JsonWriter* w, const FileSystem& fs, const FileInfo& info,
                    std::string_view shown_path) {
  w->BeginObject();
  w->Field("path", shown_path);
  w->Field("uri", UriOf(fs, info.path));
  w->Field("type", FileTypeName(info.type));
  w->Field("size", info.size);
  w->Key("mtime");
  if (info.mtime_micros != 0) {
    w->String(FormatIso8601Millis(info.mtime_micros));
  } else {
    w->Null();
  }
  w->EndObject();
}

Status WriteStdout(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
    return Status::IOError(std::string("cannot write to standard output: ") + std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace

void S3Flags::Add(CLI::App* app) {
  app->add_option("--s3-endpoint", endpoint, "S3 endpoint URL, e.g. http://127.0.0.1:9000");
  app->add_option("--s3-region", region, "S3 region (default from AWS_REGION, else us-east-1)");
  app->add_flag("--s3-no-verify-tls", no_verify_tls,
                "do not verify TLS certificates (test servers)");
}

void S3Flags::Apply() const { SetStorageFlags({endpoint, region, no_verify_tls}); }

Result<UriLocation> Resolve(std::string_view uri) {
  auto loc = ResolveUri(uri);
  if (!loc.ok() && loc.status().message().find(uri) == std::string::npos) {
    return loc.status().WithContext(std::string(uri));
  }
  return loc;
}

std::string UriOf(const FileSystem& fs, std::string_view path) {
  std::string root = fs.root_uri();
  if (path.empty()) return root;
  if (root.back() != '/') root.push_back('/');
  root.append(path);
  return root;
}

Result<FileInfo> Existing(const UriLocation& loc, std::string_view uri) {
  SL_ASSIGN_OR_RETURN(FileInfo info, loc.fs->GetFileInfo(loc.path));
  if (info.type == FileType::kNotFound) {
    return Status::NotFound("no such file or directory: " + std::string(uri));
  }
  return info;
}

int LsCommand(int argc, char** argv) {
  CLI::App app{"List the files in a directory (or prefix) or one file, sorted by path."};
  std::string uri, format;
  bool recursive = false, temporaries = false;
  S3Flags s3;
  app.add_option("URI", uri, "a path, file://, s3://bucket/prefix or mem:// URI")->required();
  app.add_flag("-r,--recursive", recursive, "list everything below, not only the top level");
  app.add_flag("--temporaries", temporaries,
               "also show temporary files of unfinished or crashed writes (orphans)");
  AddFormatFlag(&app, &format);
  s3.Add(&app);
  return RunCommand(
      app, "fs ls", "saleslake fs ls -r ./lake/main/sales", argc, argv, [&]() -> Status {
        s3.Apply();
        SL_ASSIGN_OR_RETURN(UriLocation loc, Resolve(uri));
        SL_ASSIGN_OR_RETURN(FileInfo top, Existing(loc, uri));
        std::vector<FileInfo> entries;
        std::string dir = loc.path;
        if (top.type == FileType::kFile) {
          entries.push_back(top);
          dir = std::string(ParentPath(loc.path));
        } else {
          ListOptions options;
          options.recursive = recursive;
          options.include_directories = !recursive;
          options.include_temporaries = temporaries;
          SL_ASSIGN_OR_RETURN(entries, loc.fs->List(loc.path, options));
        }
        std::string out;
        JsonWriter w(&out);
        if (format == "json") w.BeginArray();
        for (const FileInfo& e : entries) {
          std::string_view shown = e.path;
          if (!dir.empty()) shown.remove_prefix(dir.size() + 1);
          if (format == "json") {
            AppendInfoJson(&w, *loc.fs, e, shown);
            continue;
          }
          char line[64];
          std::string when = e.mtime_micros != 0 ? FormatIso8601Millis(e.mtime_micros) : "-";
          if (e.type == FileType::kDirectory) {
            std::snprintf(line, sizeof(line), "%-24s %14s  ", when.c_str(), "DIR");
          } else {
            std::snprintf(line, sizeof(line), "%-24s %14llu  ", when.c_str(),
                          static_cast<unsigned long long>(e.size));
          }
          out += line;
          out.append(shown);
          if (e.type == FileType::kDirectory) out += '/';
          out += '\n';
        }
        if (format == "json") {
          w.EndArray();
          out += '\n';
        }
        return WriteStdout(out);
      });
}

int StatCommand(int argc, char** argv) {
  CLI::App app{"Show one file's or directory's type, size and modification time."};
  std::string uri, format;
  S3Flags s3;
  app.add_option("URI", uri, "a path, file://, s3://bucket/key or mem:// URI")->required();
  AddFormatFlag(&app, &format);
  s3.Add(&app);
  return RunCommand(app, "fs stat",
                    "saleslake fs stat --format json s3://bucket/lake/_ledger/000001.json", argc,
                    argv, [&]() -> Status {
                      s3.Apply();
                      SL_ASSIGN_OR_RETURN(UriLocation loc, Resolve(uri));
                      SL_ASSIGN_OR_RETURN(FileInfo info, Existing(loc, uri));
                      std::string out;
                      if (format == "json") {
                        JsonWriter w(&out);
                        AppendInfoJson(&w, *loc.fs, info, uri);
                        out += '\n';
                      } else {
                        out = "uri:   " + UriOf(*loc.fs, info.path) +
                              "\ntype:  " + std::string(FileTypeName(info.type)) + "\n";
                        if (info.type == FileType::kFile)
                          out += "size:  " + std::to_string(info.size) + "\n";
                        if (info.mtime_micros != 0)
                          out += "mtime: " + FormatIso8601Millis(info.mtime_micros) + "\n";
                      }
                      return WriteStdout(out);
                    });
}

int CatCommand(int argc, char** argv) {
  CLI::App app{"Write a file's bytes to standard output."};
  std::string uri;
  S3Flags s3;
  app.add_option("URI", uri, "a path, file://, s3://bucket/key or mem:// URI")->required();
  s3.Add(&app);
  return RunCommand(
      app, "fs cat", "saleslake fs cat s3://bucket/lake/_ledger/000001.json", argc, argv,
      [&]() -> Status {
        s3.Apply();
        SL_ASSIGN_OR_RETURN(UriLocation loc, Resolve(uri));
        SL_ASSIGN_OR_RETURN(FileInfo info, Existing(loc, uri));
        if (info.type != FileType::kFile) {
          return Status::InvalidArgument(uri + " is a directory; list it with 'saleslake fs ls'");
        }
        SL_ASSIGN_OR_RETURN(auto file, loc.fs->OpenForRead(loc.path));
        std::string chunk;
        for (uint64_t offset = 0; offset < file->Size(); offset += chunk.size()) {
          uint64_t n = std::min<uint64_t>(kCatChunkBytes, file->Size() - offset);
          SL_RETURN_IF_ERROR(file->ReadAt(offset, n, &chunk));
          SL_RETURN_IF_ERROR(WriteStdout(chunk));
        }
        if (std::fflush(stdout) != 0) {
          return Status::IOError(std::string("cannot write to standard output: ") +
                                 std::strerror(errno));
        }
        return Status::OK();
      });
}

// `fs mb s3://bucket` (as `aws s3 mb`) and `fs rb s3://bucket` (an empty bucket).
int BucketCommand(int argc, char** argv, bool make) {
  CLI::App app{make ? "Make an S3 bucket (as 'aws s3 mb'); one you already own is fine."
                    : "Remove an empty S3 bucket (as 'aws s3 rb')."};
  std::string uri;
  S3Flags s3_flags;
  app.add_option("URI", uri, "s3://bucket")->required();
  s3_flags.Add(&app);
  const std::string name = make ? "fs mb" : "fs rb";
  return RunCommand(app, name,
                    "saleslake " + name + " s3://my-bucket --s3-endpoint http://127.0.0.1:9000",
                    argc, argv, [&]() -> Status {
                      s3_flags.Apply();
#if defined(SALESLAKE_WITH_S3)
                      SL_RETURN_IF_ERROR(make ? s3::MakeBucket(uri) : s3::RemoveBucket(uri));
                      std::printf("%s %s\n", make ? "make_bucket:" : "remove_bucket:", uri.c_str());
                      return Status::OK();
#else
        return Status::NotSupported("this build has no S3 support");
#endif
                    });
}

int MbCommand(int argc, char** argv) { return BucketCommand(argc, argv, true); }
int RbCommand(int argc, char** argv) { return BucketCommand(argc, argv, false); }

}  // namespace fs_command

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*main)(int argc, char** argv);
};

constexpr Subcommand kSubcommands[] = {
    {"ls", "list files under a URI (-r: recursively)", fs_command::LsCommand},
    {"stat", "type, size and modification time of one URI", fs_command::StatCommand},
    {"cat", "write a file to standard output", fs_command::CatCommand},
    {"put", "upload a local file (or - for stdin) to a URI", fs_command::PutCommand},
    {"cp", "copy between any two URIs (-r: a directory)", fs_command::CpCommand},
    {"rm", "remove a file (-r: a directory and everything in it)", fs_command::RmCommand},
    {"mb", "make an S3 bucket: s3://bucket", fs_command::MbCommand},
    {"rb", "remove an empty S3 bucket", fs_command::RbCommand},
};

void PrintFsHelp(FILE* out) {
  std::fprintf(
      out,
      "saleslake fs: look at and move files on local disk, S3 or memory.\n\n"
      "Usage: saleslake fs <subcommand> [flags] URI...     saleslake fs <subcommand> --help\n\n"
      "Subcommands:\n");
  for (const Subcommand& s : kSubcommands) std::fprintf(out, "  %-5s %s\n", s.name, s.summary);
  std::fprintf(
      out,
      "\nA URI is a path (./lake/x), file:///abs/path, s3://bucket/key or mem://name/path.\n"
      "Example:\n  saleslake fs ls -r s3://my-bucket/lake/main/sales\n");
}

}  // namespace

int FsCommand(int argc, char** argv) {
  if (argc < 2) {
    PrintFsHelp(stderr);
    return kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintFsHelp(stdout);
    return kExitOk;
  }
  for (const Subcommand& s : kSubcommands) {
    if (name == s.name) return s.main(argc - 1, argv + 1);
  }
  std::vector<std::string> names;
  for (const Subcommand& s : kSubcommands) names.emplace_back(s.name);
  const std::string near = NearestWord(name, names);
  std::fprintf(stderr,
               "saleslake fs: error: unknown subcommand '%s'%s\nsee 'saleslake fs --help'\n",
               argv[1], near.empty() ? "" : ("; did you mean '" + near + "'?").c_str());
  return kExitUsage;
}

}  // namespace saleslake::io
