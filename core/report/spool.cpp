#include "report/spool.hpp"

#include <fstream>
#include <sstream>

#include <unistd.h>  // mkstemp

#include "util/atomic_file.hpp"

namespace conform::report {

namespace {

std::unique_ptr<std::iostream> anonymous_file(const std::filesystem::path& dir)
{
    auto name = (dir / "conform-spool-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        throw util::FileError("cannot create a spool file in " + dir.string());
    }
    auto stream =
        std::make_unique<std::fstream>(name, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
    ::close(fd);
    std::filesystem::remove(name);
    if (!*stream) {
        throw util::FileError("cannot open the spool file " + name);
    }
    return stream;
}

std::filesystem::path default_dir()
{
    std::error_code error;
    auto dir = std::filesystem::temp_directory_path(error);
    if (error) {
        throw util::FileError("no temporary folder for the spool file: " + error.message());
    }
    return dir;
}

}  // namespace

Spool::Spool(Backing backing, const std::filesystem::path& dir)
    : m_stream(backing == Backing::file ? anonymous_file(dir.empty() ? default_dir() : dir)
                                        : std::make_unique<std::stringstream>())
{
}

Spool::~Spool() = default;
Spool::Spool(Spool&&) noexcept = default;
Spool& Spool::operator=(Spool&&) noexcept = default;

void Spool::put(const std::string& key, const std::string& text)
{
    m_stream->seekp(static_cast<std::streamoff>(m_written));
    *m_stream << text;
    if (!*m_stream) {
        throw util::FileError("cannot write to the spool file (disk full?)");
    }
    m_pieces[key].emplace_back(m_written, text.size());
    m_written += text.size();
}

std::string Spool::take(const std::string& key)
{
    auto at = m_pieces.find(key);
    if (at == m_pieces.end() || at->second.empty()) {
        return {};
    }
    const auto [offset, size] = at->second.front();
    at->second.pop_front();
    m_stream->flush();
    m_stream->seekg(static_cast<std::streamoff>(offset));
    std::string text(size, '\0');
    m_stream->read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

}  // namespace conform::report
