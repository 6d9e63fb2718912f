// `saleslake fs put`, `cp` and `rm`: the subcommands that change storage.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/cli.h"
#include "base/logging.h"
#include "io/fs_command_internal.h"
#include "io/path.h"

namespace saleslake::io::fs_command {
namespace {

constexpr size_t kStdinChunkBytes = 1 << 20;

// Where a copy of a file called `base_name` goes when the user names `uri` as the destination:
// into it when it is a directory (or ends with '/'), else to it, as `cp` and `aws s3 cp` do.
Result<UriLocation> Destination(const std::string& uri, std::string_view base_name) {
  SL_ASSIGN_OR_RETURN(UriLocation loc, Resolve(uri));
  bool into = loc.path.empty() || uri.back() == '/';
  if (!into) {
    SL_ASSIGN_OR_RETURN(FileInfo info, loc.fs->GetFileInfo(loc.path));
    into = info.type == FileType::kDirectory;
  }
  if (into) {
    if (base_name.empty()) {
      return Status::InvalidArgument(uri + " is a directory: give the file name to write, as in " +
                                     JoinPath(uri, "data.json"));
    }
    loc.path = JoinPath(loc.path, base_name);
  }
  return loc;
}

// Streams standard input into `loc`, published when input ends.
Status PutStdin(const UriLocation& loc) {
  SL_ASSIGN_OR_RETURN(auto out, loc.fs->OpenForWrite(loc.path));
  std::string chunk(kStdinChunkBytes, '\0');
  for (;;) {
    size_t n = std::fread(chunk.data(), 1, chunk.size(), stdin);
    if (n > 0) {
      Status st = out->Append(std::string_view(chunk.data(), n));
      if (!st.ok()) return st;  // the writer aborts when it goes away
    }
    if (n < chunk.size()) {
      if (std::ferror(stdin)) {
        return Status::IOError(std::string("cannot read standard input: ") + std::strerror(errno));
      }
      break;
    }
  }
  return out->Close();
}

}  // namespace

int PutCommand(int argc, char** argv) {
  CLI::App app{
      "Upload a local file, or standard input ('-'), to a URI. The file appears whole or not "
      "at all."};
  std::string src, dst;
  S3Flags s3;
  app.add_option("LOCALFILE", src, "a local path or file:// URI, or - for standard input")
      ->required();
  app.add_option("URI", dst,
                 "destination: a file, or a directory (or prefix ending in /) to put it in")
      ->required();
  s3.Add(&app);
  return RunCommand(
      app, "fs put", "saleslake fs put sales.json s3://bucket/incoming/", argc, argv,
      [&]() -> Status {
        s3.Apply();
        if (src == "-") {
          SL_ASSIGN_OR_RETURN(UriLocation to, Destination(dst, ""));
          return PutStdin(to);
        }
        SL_ASSIGN_OR_RETURN(ParsedUri parsed, ParseUri(src));
        if (parsed.scheme != "file") {
          return Status::InvalidArgument("put uploads a local file, and " + src +
                                         " is not one; use 'saleslake fs cp " + src + " " + dst +
                                         "'");
        }
        SL_ASSIGN_OR_RETURN(UriLocation from, Resolve(src));
        SL_ASSIGN_OR_RETURN(FileInfo info, Existing(from, src));
        if (info.type != FileType::kFile) {
          return Status::InvalidArgument(src + " is a directory; use 'saleslake fs cp -r'");
        }
        SL_ASSIGN_OR_RETURN(UriLocation to, Destination(dst, BaseName(from.path)));
        return CopyFile(*from.fs, from.path, *to.fs, to.path);
      });
}

int CpCommand(int argc, char** argv) {
  CLI::App app{
      "Copy a file, or with -r a directory's contents, from any URI to any URI. Each file "
      "appears whole or not at all."};
  std::string src, dst;
  bool recursive = false;
  S3Flags s3;
  app.add_option("SRC", src, "source URI")->required();
  app.add_option("DST", dst, "destination URI (a directory receives the file under its own name)")
      ->required();
  app.add_flag("-r,--recursive", recursive, "copy everything below SRC into DST");
  s3.Add(&app);
  return RunCommand(
      app, "fs cp", "saleslake fs cp -r ./lake/main s3://bucket/lake/main", argc, argv,
      [&]() -> Status {
        s3.Apply();
        SL_ASSIGN_OR_RETURN(UriLocation from, Resolve(src));
        SL_ASSIGN_OR_RETURN(FileInfo info, Existing(from, src));
        if (info.type == FileType::kFile) {
          SL_ASSIGN_OR_RETURN(UriLocation to, Destination(dst, BaseName(from.path)));
          return CopyFile(*from.fs, from.path, *to.fs, to.path);
        }
        if (!recursive)
          return Status::InvalidArgument(src + " is a directory; use 'saleslake fs cp -r'");
        SL_ASSIGN_OR_RETURN(UriLocation to, Resolve(dst));
        SL_ASSIGN_OR_RETURN(auto files, from.fs->List(from.path));
        uint64_t bytes = 0;
        for (const FileInfo& f : files) {
          std::string_view rel = f.path;
          if (!from.path.empty()) rel.remove_prefix(from.path.size() + 1);
          SL_RETURN_IF_ERROR(CopyFile(*from.fs, f.path, *to.fs, JoinPath(to.path, rel)));
          bytes += f.size;
        }
        log::Info("fs.cp.done", {{"files", files.size()}, {"bytes", bytes}, {"to", dst}});
        return Status::OK();
      });
}

int RmCommand(int argc, char** argv) {
  CLI::App app{"Remove a file, or with -r a directory and everything in it."};
  std::string uri;
  bool recursive = false;
  S3Flags s3;
  app.add_option("URI", uri, "the file or directory to remove")->required();
  app.add_flag("-r,--recursive", recursive, "remove a directory and everything below it");
  s3.Add(&app);
  return RunCommand(
      app, "fs rm", "saleslake fs rm -r ./lake/quarantine/sales/year=2026", argc, argv,
      [&]() -> Status {
        s3.Apply();
        SL_ASSIGN_OR_RETURN(UriLocation loc, Resolve(uri));
        SL_ASSIGN_OR_RETURN(FileInfo info, Existing(loc, uri));
        if (info.type == FileType::kFile) return loc.fs->Delete(loc.path);
        if (!recursive) {
          return Status::InvalidArgument(uri + " is a directory; use 'saleslake fs rm -r'");
        }
        if (loc.path.empty()) {
          return Status::InvalidArgument("refusing to remove " + uri +
                                         ": it is the root of its file system");
        }
        ListOptions options;
        options.include_temporaries = true;  // orphans would keep directories alive
        SL_ASSIGN_OR_RETURN(auto files, loc.fs->List(loc.path, options));
        std::vector<std::string> paths;
        for (const FileInfo& f : files) paths.push_back(f.path);
        SL_RETURN_IF_ERROR(loc.fs->DeleteMany(paths));
        // Then the directories, deepest first (a child sorts after its parent).
        options.include_directories = true;
        SL_ASSIGN_OR_RETURN(auto left, loc.fs->List(loc.path, options));
        for (auto it = left.rbegin(); it != left.rend(); ++it) {
          if (it->type == FileType::kDirectory) SL_RETURN_IF_ERROR(loc.fs->Delete(it->path));
        }
        SL_ASSIGN_OR_RETURN(FileInfo self, loc.fs->GetFileInfo(loc.path));
        if (self.type == FileType::kDirectory) return loc.fs->Delete(loc.path);
        return Status::OK();
      });
}

}  // namespace saleslake::io::fs_command
