//! A small WARC/1.1 (ISO 28500:2017) writer: a `warcinfo` record first, then
//! one `resource` record per capture.
//!
//! Digests are written as `sha256:` followed by 64 lowercase hex digits (not
//! base32), so they compare directly with the archive's addresses and with
//! `sha256sum`. Record ids are `<urn:uuid:…>` derived from the capture's hash,
//! origin and time, so the same archive always gives the same file.

use std::io::{self, Read, Write};

use crate::capture::Capture;
use crate::hash::{StreamHasher, uuid_from_parts};

#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("writing WARC output: {0}")]
    Io(#[from] io::Error),
    #[error("capture {sha256}: expected {expected} bytes, the archive gave {actual}")]
    SizeMismatch {
        sha256: String,
        expected: u64,
        actual: u64,
    },
    #[error("capture {sha256}: stored bytes hash to {actual}")]
    DigestMismatch { sha256: String, actual: String },
    #[error("header value for {name} contains a line break")]
    BadHeader { name: &'static str },
}

/// One recorded HTTP exchange, for [`WarcWriter::write_exchange`].
#[derive(Debug, Clone, Copy)]
pub struct HttpExchangeRecord<'a> {
    /// Order of recording; with the URI and date it makes the record ids.
    pub seq: i64,
    pub target_uri: &'a str,
    /// WARC-Date of the request.
    pub date: &'a str,
    /// Request line and headers, CRLF-separated, ending in a blank line.
    pub request_head: &'a str,
    /// Status line and headers, CRLF-separated, ending in a blank line.
    pub response_head: &'a str,
    /// SHA-256 of the payload (lowercase hex), when there is one.
    pub payload_sha256: Option<&'a str>,
    pub payload_size: u64,
}

/// Writes WARC records to `out`.
pub struct WarcWriter<W: Write> {
    out: W,
    warcinfo_id: Option<String>,
    records: u64,
}

impl<W: Write> WarcWriter<W> {
    pub fn new(out: W) -> Self {
        WarcWriter {
            out,
            warcinfo_id: None,
            records: 0,
        }
    }

    /// Writes the leading `warcinfo` record. `date` is a WARC-Date
    /// (`YYYY-MM-DDThh:mm:ssZ`); `fields` are `name: value` pairs.
    pub fn write_warcinfo(
        &mut self,
        filename: &str,
        date: &str,
        fields: &[(&str, &str)],
    ) -> Result<(), WarcError> {
        let mut body = String::new();
        for (name, value) in fields {
            check_header("warcinfo field", name)?;
            check_header("warcinfo field", value)?;
            body.push_str(&format!("{name}: {value}\r\n"));
        }
        let id = format!(
            "<urn:uuid:{}>",
            uuid_from_parts(&["warcinfo", filename, date, &body])
        );
        let headers = [
            ("WARC-Type", "warcinfo".to_string()),
            ("WARC-Record-ID", id.clone()),
            ("WARC-Date", date.to_string()),
            ("WARC-Filename", filename.to_string()),
            ("Content-Type", "application/warc-fields".to_string()),
            ("Content-Length", body.len().to_string()),
        ];
        self.write_head(&headers)?;
        self.out.write_all(body.as_bytes())?;
        self.out.write_all(b"\r\n\r\n")?;
        self.warcinfo_id = Some(id);
        self.records += 1;
        Ok(())
    }

    /// Writes one `resource` record whose block is the capture's bytes,
    /// read from `payload`. The bytes are checked against the capture's
    /// size and hash as they are copied.
    pub fn write_resource(
        &mut self,
        capture: &Capture,
        payload: &mut dyn Read,
    ) -> Result<(), WarcError> {
        let digest = format!("sha256:{}", capture.sha256);
        let id = format!(
            "<urn:uuid:{}>",
            uuid_from_parts(&[
                "resource",
                &capture.sha256,
                &capture.origin,
                &capture.captured_at
            ])
        );
        let mut headers = vec![
            ("WARC-Type", "resource".to_string()),
            ("WARC-Record-ID", id),
            ("WARC-Date", capture.captured_at.clone()),
            ("WARC-Target-URI", capture.target_uri()),
        ];
        if let Some(info) = &self.warcinfo_id {
            headers.push(("WARC-Warcinfo-ID", info.clone()));
        }
        headers.extend([
            ("WARC-Payload-Digest", digest.clone()),
            ("WARC-Block-Digest", digest),
            ("Content-Type", capture.media_type.clone()),
            ("Content-Length", capture.size.to_string()),
        ]);
        self.write_head(&headers)?;

        let mut hasher = StreamHasher::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match payload.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            hasher.update(&buf[..n]);
            if hasher.len() > capture.size {
                break;
            }
            self.out.write_all(&buf[..n])?;
        }
        if hasher.len() != capture.size {
            return Err(WarcError::SizeMismatch {
                sha256: capture.sha256.clone(),
                expected: capture.size,
                actual: hasher.len(),
            });
        }
        let actual = hasher.finish();
        if actual != capture.sha256 {
            return Err(WarcError::DigestMismatch {
                sha256: capture.sha256.clone(),
                actual,
            });
        }
        self.out.write_all(b"\r\n\r\n")?;
        self.records += 1;
        Ok(())
    }

    /// Writes one HTTP exchange as a `response` record (block: the response
    /// head, then the payload read from `payload`) followed by its `request`
    /// record (block: the request head), linked by `WARC-Concurrent-To`.
    /// The payload is checked against `exchange.payload_sha256` and size.
    pub fn write_exchange(
        &mut self,
        exchange: &HttpExchangeRecord<'_>,
        payload: &mut dyn Read,
    ) -> Result<(), WarcError> {
        let mut body = Vec::new();
        payload
            .take(exchange.payload_size.saturating_add(1))
            .read_to_end(&mut body)?;
        let actual = crate::hash::sha256_hex(&body);
        if body.len() as u64 != exchange.payload_size {
            return Err(WarcError::SizeMismatch {
                sha256: actual,
                expected: exchange.payload_size,
                actual: body.len() as u64,
            });
        }
        if let Some(expected) = exchange.payload_sha256
            && expected != actual
        {
            return Err(WarcError::DigestMismatch {
                sha256: expected.to_string(),
                actual,
            });
        }
        let mut block_hash = StreamHasher::new();
        block_hash.update(exchange.response_head.as_bytes());
        block_hash.update(&body);
        let block_len = block_hash.len();
        let block_digest = block_hash.finish();
        let seq = exchange.seq.to_string();
        let response_id = format!(
            "<urn:uuid:{}>",
            uuid_from_parts(&["response", &seq, exchange.target_uri, exchange.date])
        );
        let request_id = format!(
            "<urn:uuid:{}>",
            uuid_from_parts(&["request", &seq, exchange.target_uri, exchange.date])
        );
        let mut headers = vec![
            ("WARC-Type", "response".to_string()),
            ("WARC-Record-ID", response_id.clone()),
            ("WARC-Date", exchange.date.to_string()),
            ("WARC-Target-URI", exchange.target_uri.to_string()),
        ];
        if let Some(info) = &self.warcinfo_id {
            headers.push(("WARC-Warcinfo-ID", info.clone()));
        }
        headers.extend([
            ("WARC-Payload-Digest", format!("sha256:{actual}")),
            ("WARC-Block-Digest", format!("sha256:{block_digest}")),
            (
                "Content-Type",
                "application/http; msgtype=response".to_string(),
            ),
            ("Content-Length", block_len.to_string()),
        ]);
        self.write_head(&headers)?;
        self.out.write_all(exchange.response_head.as_bytes())?;
        self.out.write_all(&body)?;
        self.out.write_all(b"\r\n\r\n")?;
        self.records += 1;

        let request = exchange.request_head.as_bytes();
        let mut headers = vec![
            ("WARC-Type", "request".to_string()),
            ("WARC-Record-ID", request_id),
            ("WARC-Date", exchange.date.to_string()),
            ("WARC-Target-URI", exchange.target_uri.to_string()),
            ("WARC-Concurrent-To", response_id),
        ];
        if let Some(info) = &self.warcinfo_id {
            headers.push(("WARC-Warcinfo-ID", info.clone()));
        }
        headers.extend([
            (
                "WARC-Block-Digest",
                format!("sha256:{}", crate::hash::sha256_hex(request)),
            ),
            (
                "Content-Type",
                "application/http; msgtype=request".to_string(),
            ),
            ("Content-Length", request.len().to_string()),
        ]);
        self.write_head(&headers)?;
        self.out.write_all(request)?;
        self.out.write_all(b"\r\n\r\n")?;
        self.records += 1;
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> Result<W, WarcError> {
        self.out.flush()?;
        Ok(self.out)
    }

    fn write_head(&mut self, headers: &[(&'static str, String)]) -> Result<(), WarcError> {
        let mut head = String::from("WARC/1.1\r\n");
        for (name, value) in headers {
            check_header(name, value)?;
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        self.out.write_all(head.as_bytes())?;
        Ok(())
    }
}

fn check_header(name: &'static str, value: &str) -> Result<(), WarcError> {
    if value.contains(['\r', '\n']) {
        Err(WarcError::BadHeader { name })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sha256_hex;

    fn capture(bytes: &[u8]) -> Capture {
        Capture {
            seq: 1,
            origin: "https://example.org/post".into(),
            media_type: "text/html".into(),
            captured_at: "2025-09-02T21:30:00Z".into(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    type Record = (Vec<(String, String)>, Vec<u8>);

    /// Splits a WARC file into (headers, block) pairs using Content-Length.
    fn parse(mut data: &[u8]) -> Vec<Record> {
        let mut records = Vec::new();
        while !data.is_empty() {
            let end = data.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
            let head = std::str::from_utf8(&data[..end]).unwrap();
            let mut lines = head.split("\r\n");
            assert_eq!(lines.next(), Some("WARC/1.1"));
            let headers: Vec<(String, String)> = lines
                .map(|l| {
                    let (n, v) = l.split_once(": ").unwrap();
                    (n.to_string(), v.to_string())
                })
                .collect();
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "Content-Length")
                .unwrap()
                .1
                .parse()
                .unwrap();
            let block = data[end + 4..end + 4 + len].to_vec();
            assert_eq!(&data[end + 4 + len..end + 8 + len], b"\r\n\r\n");
            data = &data[end + 8 + len..];
            records.push((headers, block));
        }
        records
    }

    #[test]
    fn writes_warcinfo_then_resources_with_digests() {
        let payload = b"<html>strike report</html>".to_vec();
        let cap = capture(&payload);
        let mut w = WarcWriter::new(Vec::new());
        w.write_warcinfo(
            "out.warc",
            "2025-09-03T00:00:00Z",
            &[("software", "strikewatch")],
        )
        .unwrap();
        w.write_resource(&cap, &mut payload.as_slice()).unwrap();
        assert_eq!(w.records(), 2);
        let out = w.finish().unwrap();
        let records = parse(&out);
        assert_eq!(records.len(), 2);
        let get = |i: usize, name: &str| {
            records[i]
                .0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get(0, "WARC-Type"), "warcinfo");
        assert_eq!(get(1, "WARC-Type"), "resource");
        assert_eq!(
            get(1, "WARC-Payload-Digest"),
            format!("sha256:{}", cap.sha256)
        );
        assert_eq!(get(1, "WARC-Target-URI"), "https://example.org/post");
        assert_eq!(get(1, "WARC-Warcinfo-ID"), get(0, "WARC-Record-ID"));
        assert!(get(1, "WARC-Record-ID").starts_with("<urn:uuid:"));
        assert_eq!(records[1].1, payload);

        // Same input, same bytes out.
        let mut again = WarcWriter::new(Vec::new());
        again
            .write_warcinfo(
                "out.warc",
                "2025-09-03T00:00:00Z",
                &[("software", "strikewatch")],
            )
            .unwrap();
        again.write_resource(&cap, &mut payload.as_slice()).unwrap();
        assert_eq!(again.finish().unwrap(), out);
    }

    #[test]
    fn writes_http_exchanges_as_response_then_request() {
        let body = b"<html>post</html>";
        let sha = sha256_hex(body);
        let rec = HttpExchangeRecord {
            seq: 7,
            target_uri: "https://example.org/post",
            date: "2025-09-02T21:30:00.123Z",
            request_head: "GET /post HTTP/1.1\r\nHost: example.org\r\n\r\n",
            response_head: "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n",
            payload_sha256: Some(&sha),
            payload_size: body.len() as u64,
        };
        let mut w = WarcWriter::new(Vec::new());
        w.write_exchange(&rec, &mut &body[..]).unwrap();
        let out = w.finish().unwrap();
        let records = parse(&out);
        let get = |i: usize, name: &str| {
            records[i]
                .0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get(0, "WARC-Type"), "response");
        assert_eq!(get(1, "WARC-Type"), "request");
        assert_eq!(get(1, "WARC-Concurrent-To"), get(0, "WARC-Record-ID"));
        assert_eq!(get(0, "WARC-Payload-Digest"), format!("sha256:{sha}"));
        let mut block = rec.response_head.as_bytes().to_vec();
        block.extend_from_slice(body);
        assert_eq!(records[0].1, block);
        assert_eq!(
            get(0, "WARC-Block-Digest"),
            format!("sha256:{}", sha256_hex(&block))
        );
        assert_eq!(records[1].1, rec.request_head.as_bytes());
        let mut w = WarcWriter::new(Vec::new());
        let err = w
            .write_exchange(&rec, &mut &b"<html>edit</html>"[..])
            .unwrap_err();
        assert!(matches!(err, WarcError::DigestMismatch { .. }));
    }

    #[test]
    fn refuses_payload_that_does_not_match_capture() {
        let cap = capture(b"original");
        let mut w = WarcWriter::new(Vec::new());
        let err = w.write_resource(&cap, &mut &b"tampered"[..]).unwrap_err();
        assert!(matches!(err, WarcError::DigestMismatch { .. }));
        let err = w.write_resource(&cap, &mut &b"short"[..]).unwrap_err();
        assert!(matches!(err, WarcError::SizeMismatch { .. }));
        let err = w
            .write_resource(&cap, &mut &b"originalplus"[..])
            .unwrap_err();
        assert!(matches!(err, WarcError::SizeMismatch { .. }));
    }
}
