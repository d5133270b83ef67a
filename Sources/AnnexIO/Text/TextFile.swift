import Foundation

/// A whole text file read as a String: UTF-8 (with or without BOM), UTF-16 by its BOM, otherwise
/// GB18030 (which GBK and GB2312 files are), the same detection as the CSV reader's.
public enum TextFile {
    public static func read(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnnexError(file: path, reason: "无法读取文件")
        }
        let bytes = [UInt8](data)
        if let (encoding, markLength) = bytes.withUnsafeBytes({ TextEncoding.detectByteOrderMark($0) }) {
            let body = bytes.dropFirst(markLength)
            switch encoding {
            case .utf8: return String(decoding: body, as: UTF8.self)
            case .utf16LE: return String(data: Data(body), encoding: .utf16LittleEndian) ?? ""
            case .utf16BE: return String(data: Data(body), encoding: .utf16BigEndian) ?? ""
            case .gb18030: return try gb18030(Array(body), path: path)
            }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return try gb18030(bytes, path: path)
    }

    static func gb18030(_ bytes: [UInt8], path: String) throws -> String {
        if bytes.isEmpty { return "" }
        guard let decoder = GB18030Decoder() else {
            throw AnnexError(file: path, reason: "这台机器的 iconv 不支持 GB18030 编码")
        }
        var output = [UInt8](repeating: 0, count: GB18030Decoder.maximumOutput(bytes.count))
        let result = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { decoder.decode(input.baseAddress!, input.count, into: $0.baseAddress!) }
        }
        guard result.stop == .done else {
            throw AnnexError(file: path, reason: "既不是 UTF-8 也不是 GB18030 编码的文本（第 \(result.consumed + 1) 个字节起无法解码）")
        }
        return String(decoding: output.prefix(result.produced), as: UTF8.self)
    }
}
