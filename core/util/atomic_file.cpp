#include "util/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace conform::util {

void write_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    write_file_atomically(path, [content](std::ostream& out) {
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    });
}

void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write)
{
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    std::string temp = path.string() + ".tmp.XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        throw FileError("cannot write " + temp + ": " + std::strerror(errno));
    }
    // mkstemp makes it private (0600); the file it replaces is an ordinary one.
    ::fchmod(fd, 0644);
    ::close(fd);
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (out) {
            write(out);
            out.flush();
        }
        if (!out) {
            const int error = errno;
            std::filesystem::remove(temp, ec);
            throw FileError("cannot write " + temp + ": " + std::strerror(error));
        }
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw FileError("cannot replace " + path.string() + ": " + ec.message());
    }
}

}  // namespace conform::util
