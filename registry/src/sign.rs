//! ed25519 publisher keys: key files, signing, verification. A signature
//! covers the exact component bytes.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use weft_host::stamp::hex;

/// Why a key could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The system gave no random bytes for a new key.
    #[error("no randomness")]
    NoRandomness(#[source] getrandom::Error),
    /// A key file without the `weft-ed25519-secret:` prefix.
    #[error("not a weft key file")]
    NotAKeyFile,
    /// A key file whose key is not 64 hex digits.
    #[error("bad key file")]
    BadKeyFile,
    /// A public key that is not 64 hex digits.
    #[error("a public key is 64 hex digits")]
    PublicKeyLength,
    /// 32 bytes that are not an ed25519 public key.
    #[error("bad public key")]
    BadPublicKey(#[source] ed25519_dalek::SignatureError),
}

/// Creates a key pair; returns (secret key file text, public key hex).
pub fn keygen() -> Result<(String, String), KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(KeyError::NoRandomness)?;
    let key = SigningKey::from_bytes(&seed);
    let public = hex(key.verifying_key().as_bytes());
    Ok((format!("weft-ed25519-secret:{}\n", hex(&seed)), public))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    weft_host::stamp::unhex(s.trim())
}

/// Reads a key file written by [`keygen`].
pub fn signing_key(file_text: &str) -> Result<SigningKey, KeyError> {
    let hex = file_text
        .trim()
        .strip_prefix("weft-ed25519-secret:")
        .ok_or(KeyError::NotAKeyFile)?;
    let bytes: [u8; 32] = unhex(hex)
        .and_then(|b| b.try_into().ok())
        .ok_or(KeyError::BadKeyFile)?;
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
pub fn verifying_key(public_hex: &str) -> Result<VerifyingKey, KeyError> {
    let bytes: [u8; 32] = unhex(public_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or(KeyError::PublicKeyLength)?;
    VerifyingKey::from_bytes(&bytes).map_err(KeyError::BadPublicKey)
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
