#include "report/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace conform::report {

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
    auto temp = path;
    temp += ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) {
            throw ReportError("cannot write " + temp.string() + ": " + std::strerror(errno));
        }
        write(out);
        out.flush();
        if (!out) {
            std::filesystem::remove(temp, ec);
            throw ReportError("cannot write " + temp.string() + ": " + std::strerror(errno));
        }
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw ReportError("cannot replace " + path.string() + ": " + ec.message());
    }
}

}  // namespace conform::report
