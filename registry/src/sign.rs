//! ed25519 publisher keys: key files, signing, verification. A signature
//! covers the exact component bytes.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use weft_host::stamp::hex;

/// Creates a key pair; returns (secret key file text, public key hex).
pub fn keygen() -> Result<(String, String), String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    let public = hex(key.verifying_key().as_bytes());
    Ok((format!("weft-ed25519-secret:{}\n", hex(&seed)), public))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    weft_host::stamp::unhex(s.trim())
}

/// Reads a key file written by [`keygen`].
pub fn signing_key(file_text: &str) -> Result<SigningKey, String> {
    let hex = file_text
        .trim()
        .strip_prefix("weft-ed25519-secret:")
        .ok_or("not a weft key file")?;
    let bytes: [u8; 32] = unhex(hex)
        .and_then(|b| b.try_into().ok())
        .ok_or("bad key file")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Hex public key of a signing key.
pub fn public_hex(key: &SigningKey) -> String {
    hex(key.verifying_key().as_bytes())
}

/// Hex signature of `bytes`.
pub fn sign(key: &SigningKey, bytes: &[u8]) -> String {
    hex(&key.sign(bytes).to_bytes())
}

/// Parses a hex public key.
pub fn verifying_key(public_hex: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = unhex(public_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or("a public key is 64 hex digits")?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| format!("bad public key: {e}"))
}

/// Whether `signature_hex` is a valid signature of `bytes` by `public_hex`.
pub fn verify(public_hex: &str, bytes: &[u8], signature_hex: &str) -> bool {
    let (Ok(key), Some(sig)) = (verifying_key(public_hex), unhex(signature_hex)) else {
        return false;
    };
    let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) else {
        return false;
    };
    key.verify(bytes, &Signature::from_bytes(&sig)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify() {
        let (file, public) = keygen().unwrap();
        let key = signing_key(&file).unwrap();
        assert_eq!(public_hex(&key), public);
        let sig = sign(&key, b"component");
        assert!(verify(&public, b"component", &sig));
        assert!(!verify(&public, b"componenT", &sig));
        let (_, other) = keygen().unwrap();
        assert!(!verify(&other, b"component", &sig));
        assert!(!verify(&public, b"component", "zz"));
    }
}
