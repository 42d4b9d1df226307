//! The credit written into every published image as XMP, with the IPTC photo metadata
//! properties photo desks and Google Images read (`dc:creator`, `photoshop:Credit`,
//! `dc:rights`, `xmpRights:WebStatement` and `Marked`, `plus:Licensor`, `dc:title`), and
//! the containers' places for it: a JPEG APP1 segment, a PNG `iTXt` chunk, a WebP `XMP `
//! chunk (with the `VP8X` header that announces it).

use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::webp::{CHUNK_VP8X, CHUNK_XMP, WebP};
use img_parts::{Bytes, ImageICC};

/// What an image's file says of its credit: plain text, escaped here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EmbeddedCredit {
    pub title: Option<String>,
    /// The author, `dc:creator`.
    pub creator: Option<String>,
    /// The credit line as the site renders it, `photoshop:Credit`.
    pub credit_line: String,
    /// The copyright notice, `dc:rights`.
    pub rights: String,
    /// The licence's deed, `xmpRights:WebStatement`.
    pub web_statement: Option<String>,
    /// `xmpRights:Marked`: the work is under copyright (false for CC0 and the Public
    /// Domain Mark).
    pub marked: bool,
    /// Where the work was found, `plus:Licensor` (name and address).
    pub licensor: Option<String>,
    pub licensor_url: Option<String>,
    /// `Iptc4xmpExt:DigitalSourceType` of the source file, kept (how the image was made:
    /// a camera, a composite, generated).
    pub digital_source_type: Option<String>,
}

/// XML text and attribute values escaped.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            c if crate::site_files::is_forbidden(c) => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The XMP packet of a credit.
pub fn packet(credit: &EmbeddedCredit) -> String {
    let alt = |name: &str, value: &str| {
        format!("   <{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{name}>\n", escape(value))
    };
    let mut properties = String::new();
    if let Some(creator) = &credit.creator {
        properties.push_str(&format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            escape(creator)
        ));
    }
    if let Some(title) = &credit.title {
        properties.push_str(&alt("dc:title", title));
    }
    properties.push_str(&alt("dc:rights", &credit.rights));
    properties.push_str(&format!("   <photoshop:Credit>{}</photoshop:Credit>\n", escape(&credit.credit_line)));
    properties.push_str(&format!(
        "   <xmpRights:Marked>{}</xmpRights:Marked>\n",
        if credit.marked { "True" } else { "False" }
    ));
    if let Some(deed) = &credit.web_statement {
        properties.push_str(&format!("   <xmpRights:WebStatement>{}</xmpRights:WebStatement>\n", escape(deed)));
    }
    if credit.licensor.is_some() || credit.licensor_url.is_some() {
        properties.push_str("   <plus:Licensor><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n");
        if let Some(name) = &credit.licensor {
            properties.push_str(&format!("    <plus:LicensorName>{}</plus:LicensorName>\n", escape(name)));
        }
        if let Some(url) = &credit.licensor_url {
            properties.push_str(&format!("    <plus:LicensorURL>{}</plus:LicensorURL>\n", escape(url)));
        }
        properties.push_str("   </rdf:li></rdf:Seq></plus:Licensor>\n");
    }
    if let Some(kind) = &credit.digital_source_type {
        properties
            .push_str(&format!("   <Iptc4xmpExt:DigitalSourceType>{}</Iptc4xmpExt:DigitalSourceType>\n", escape(kind)));
    }
    let mut packet = format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
  <rdf:Description rdf:about=\"\"\n\
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
    xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n\
    xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\"\n\
    xmlns:plus=\"http://ns.useplus.org/ldf/xmp/1.0/\"\n\
    xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\">\n\
{properties}  </rdf:Description>\n\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"r\"?>"
    );
    // RIFF chunks are padded to an even length: an even packet needs no padding byte.
    if packet.len() % 2 == 1 {
        packet.insert(packet.len() - "<?xpacket end=\"r\"?>".len(), '\n');
    }
    packet
}

/// The XMP namespace header of a JPEG APP1 segment.
const JPEG_XMP_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// Why metadata could not be written into an encoded image (which the encoders made, so
/// this is a bug, reported rather than a panic).
#[derive(Debug, thiserror::Error)]
#[error("cannot write metadata into the encoded image: {0}")]
pub struct EmbedError(String);

/// The container an encoded image is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Container {
    Jpeg,
    Png,
    WebP,
}

/// `encoded` with the XMP packet and the ICC profile (if any) written in.
pub fn embed(encoded: Vec<u8>, container: Container, xmp: &str, icc: Option<&[u8]>) -> Result<Vec<u8>, EmbedError> {
    let bytes = Bytes::from(encoded);
    let icc = icc.map(Bytes::copy_from_slice);
    let failed = |error: img_parts::Error| EmbedError(error.to_string());
    let written = match container {
        Container::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(failed)?;
            let contents = [JPEG_XMP_HEADER, xmp.as_bytes()].concat();
            // After the JFIF APP0 segment when there is one: readers expect APP0 first.
            let at = jpeg.segments().iter().position(|s| s.marker() != markers::APP0).unwrap_or(0);
            jpeg.segments_mut().insert(at, JpegSegment::new_with_contents(markers::APP1, Bytes::from(contents)));
            jpeg.set_icc_profile(icc);
            jpeg.encoder().bytes()
        }
        Container::Png => {
            let mut png = Png::from_bytes(bytes).map_err(failed)?;
            // iTXt: keyword, then no compression, no language and no translated keyword.
            let contents = [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), xmp.as_bytes()].concat();
            png.chunks_mut().insert(1, PngChunk::new(*b"iTXt", Bytes::from(contents)));
            png.set_icc_profile(icc);
            png.encoder().bytes()
        }
        Container::WebP => {
            let mut webp = WebP::from_bytes(bytes).map_err(failed)?;
            webp.chunks_mut().push(img_parts::riff::RiffChunk::new(
                CHUNK_XMP,
                img_parts::riff::RiffContent::Data(Bytes::copy_from_slice(xmp.as_bytes())),
            ));
            // Setting the profile (even none) makes the file the extended format, whose
            // VP8X header announces the chunks; img-parts sets its ICC flag, not its XMP one.
            webp.set_icc_profile(icc);
            for chunk in webp.chunks_mut().iter_mut().filter(|chunk| chunk.id() == CHUNK_VP8X) {
                if let img_parts::riff::RiffContent::Data(data) = chunk.content_mut()
                    && let Some(first) = data.first()
                {
                    let mut flags = data.to_vec();
                    flags[0] = first | 0b0000_0100;
                    *data = Bytes::from(flags);
                }
            }
            webp.encoder().bytes()
        }
    };
    Ok(written.to_vec())
}

/// The `Iptc4xmpExt:DigitalSourceType` an image file's XMP gives, as an element or an
/// attribute: the packet is text inside the file, whatever the container.
pub fn digital_source_type(file: &[u8]) -> Option<String> {
    const NAME: &[u8] = b"Iptc4xmpExt:DigitalSourceType";
    let at = file.windows(NAME.len()).position(|window| window == NAME)?;
    let rest = &file[at + NAME.len()..];
    let value = match rest.first()? {
        b'>' => &rest[1..rest.iter().position(|&b| b == b'<')?],
        b'=' => {
            let quote = *rest.get(1)?;
            let body = &rest[2..];
            &body[..body.iter().position(|&b| b == quote)?]
        }
        _ => return None,
    };
    let value = std::str::from_utf8(value).ok()?.trim();
    // A controlled vocabulary of IPTC addresses: anything else is not kept.
    (value.starts_with("http://cv.iptc.org/newscodes/digitalsourcetype/") && value.len() < 200)
        .then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packet_escapes_its_text_and_is_of_even_length() {
        let credit = EmbeddedCredit {
            title: Some("A <b> & \"c\"".into()),
            creator: Some("UP9".into()),
            credit_line: "Image: A by UP9".into(),
            rights: "UP9, CC BY-SA 3.0".into(),
            marked: true,
            ..EmbeddedCredit::default()
        };
        let xmp = packet(&credit);
        assert!(xmp.contains("A &lt;b&gt; &amp; &quot;c&quot;"), "{xmp}");
        assert!(xmp.contains("<xmpRights:Marked>True</xmpRights:Marked>"));
        assert_eq!(xmp.len() % 2, 0);
        roxmltree::Document::parse(xmp.trim_start_matches(|c| c != '<')).expect("well-formed XML");
    }

    #[test]
    fn the_digital_source_type_is_read_in_either_form() {
        let element = b"..<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture</Iptc4xmpExt:DigitalSourceType>";
        assert_eq!(
            digital_source_type(element).as_deref(),
            Some("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture")
        );
        let attribute = b"<rdf:Description Iptc4xmpExt:DigitalSourceType='http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'/>";
        assert!(digital_source_type(attribute).unwrap().ends_with("trainedAlgorithmicMedia"));
        assert_eq!(
            digital_source_type(b"<Iptc4xmpExt:DigitalSourceType>javascript:x</Iptc4xmpExt:DigitalSourceType>"),
            None
        );
    }
}
