//! Uploaded files: what a file is, told by its content (magic numbers), never by its name
//! alone; the name only chooses among formats that share one container (DOC, XLS and WPS
//! are all OLE2 compound files). And the names people give them.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Largest upload, in bytes.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Longest file name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

label_enum! {
    /// The formats a draft's attachments and interpretations may be in.
    FileKind {
        Pdf => "PDF",
        Ofd => "OFD",
        Doc => "DOC",
        Docx => "DOCX",
        Wps => "WPS",
        Xls => "XLS",
        Xlsx => "XLSX",
        Png => "PNG",
        Jpeg => "JPEG",
        Gif => "GIF",
        Webp => "WEBP",
        Mp4 => "MP4",
        Vtt => "WEBVTT",
    }
}

impl FileKind {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Ofd => "application/ofd",
            Self::Doc => "application/msword",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Wps => "application/vnd.ms-works",
            Self::Xls => "application/vnd.ms-excel",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Mp4 => "video/mp4",
            Self::Vtt => "text/vtt",
        }
    }

    pub fn from_media_type(t: &str) -> Option<FileKind> {
        Self::ALL.iter().copied().find(|k| k.media_type() == t)
    }

    pub fn is_image(self) -> bool {
        matches!(self, Self::Png | Self::Jpeg | Self::Gif | Self::Webp)
    }

    /// Shown in the page (PDF, images, video, captions) rather than downloaded.
    pub fn inline(self) -> bool {
        self.is_image() || matches!(self, Self::Pdf | Self::Mp4 | Self::Vtt)
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether `needle` occurs in `hay`.
fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// What `bytes` are, by their content; `name` (as uploaded) only picks among formats of
/// one container. A file whose content is none of the accepted formats, or contradicts
/// its name, is refused with what to do.
pub fn sniff(bytes: &[u8], name: &str) -> Result<FileKind, DomainError> {
    let refuse = || {
        DomainError::new(
            "file",
            "只能上传 PDF、OFD、Word（DOC/DOCX）、WPS、Excel（XLS/XLSX）、图片（PNG/JPEG/GIF/WEBP）、MP4 视频或 WEBVTT 字幕；该文件的内容不是这些格式",
        )
    };
    let ext = extension(name);
    let kind = if bytes.starts_with(b"%PDF-") {
        FileKind::Pdf
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        match ext.as_str() {
            "doc" => FileKind::Doc,
            "xls" => FileKind::Xls,
            "wps" | "et" => FileKind::Wps,
            _ => {
                return Err(DomainError::new(
                    "file",
                    "这是 Office 或 WPS 旧格式文件，请以 .doc、.xls 或 .wps 为扩展名上传",
                ));
            }
        }
    } else if bytes.starts_with(b"PK\x03\x04") {
        // A zip: the entries' names in its local headers tell which kind.
        if holds(bytes, b"OFD.xml") {
            FileKind::Ofd
        } else if holds(bytes, b"word/") {
            FileKind::Docx
        } else if holds(bytes, b"xl/") {
            FileKind::Xlsx
        } else {
            return Err(refuse());
        }
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        FileKind::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        FileKind::Jpeg
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        FileKind::Gif
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        FileKind::Webp
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        FileKind::Mp4
    } else if bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .starts_with(b"WEBVTT")
    {
        FileKind::Vtt
    } else {
        return Err(refuse());
    };
    Ok(kind)
}

/// A file's name as shown and offered for download: the last path part, trimmed, without
/// control characters; at most [`MAX_NAME_CHARS`] characters.
pub fn clean_name(raw: &str) -> Result<String, DomainError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.is_empty() || name.starts_with('.') {
        return Err(DomainError::new("file", "请选择要上传的文件"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::new(
            "file",
            format!("文件名最长 {MAX_NAME_CHARS} 个字，请改短后再上传"),
        ));
    }
    Ok(name.to_owned())
}

/// A file attached to a draft or a published document, as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub href: String,
    pub media_type: String,
    pub size: u64,
    /// The official text (正式文本): the document's download version.
    pub official: bool,
}

/// "1.2 MB", "36 KB".
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "通知.docx"), Ok(FileKind::Pdf));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", "图解.jpg"),
            Ok(FileKind::Png)
        );
        assert_eq!(sniff(b"\xff\xd8\xff\xe0JFIF", "a.png"), Ok(FileKind::Jpeg));
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0", "解读.mp4"),
            Ok(FileKind::Mp4)
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a.webp"), Ok(FileKind::Webp));
        assert_eq!(
            sniff(b"\xef\xbb\xbfWEBVTT\n\n", "字幕.vtt"),
            Ok(FileKind::Vtt)
        );
        // A script named like a PDF is refused.
        assert_eq!(
            sniff(b"<script>alert(1)</script>", "正式文本.pdf")
                .expect_err("html")
                .field,
            "file"
        );
        assert!(sniff(b"MZ\x90\0", "setup.pdf").is_err());
    }

    #[test]
    fn zip_and_ole_containers_are_told_apart() {
        let zip = |entry: &str| {
            let mut b = b"PK\x03\x04\x14\0\0\0".to_vec();
            b.extend_from_slice(entry.as_bytes());
            b
        };
        assert_eq!(
            sniff(&zip("word/document.xml"), "a.docx"),
            Ok(FileKind::Docx)
        );
        assert_eq!(sniff(&zip("xl/workbook.xml"), "a.xlsx"), Ok(FileKind::Xlsx));
        assert_eq!(sniff(&zip("OFD.xml"), "a.ofd"), Ok(FileKind::Ofd));
        assert!(sniff(&zip("payload.exe"), "a.docx").is_err());
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(sniff(&ole, "a.doc"), Ok(FileKind::Doc));
        assert_eq!(sniff(&ole, "a.XLS"), Ok(FileKind::Xls));
        assert_eq!(sniff(&ole, "a.wps"), Ok(FileKind::Wps));
        assert!(sniff(&ole, "a.pdf").is_err());
    }

    #[test]
    fn names_keep_their_last_part_without_control_characters() {
        assert_eq!(
            clean_name("C:\\Users\\张三\\正式文本.pdf").as_deref(),
            Ok("正式文本.pdf")
        );
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Ok("passwd"));
        assert_eq!(clean_name("a\u{7}b.pdf").as_deref(), Ok("ab.pdf"));
        assert!(clean_name("   ").is_err());
        assert!(clean_name(".htaccess").is_err());
        assert!(clean_name(&format!("{}.pdf", "长".repeat(120))).is_err());
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(10), "1 KB");
    }
}
