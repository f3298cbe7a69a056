//! ISO 4217 currency codes in current use.

/// The alphabetic codes of ISO 4217 List One (current currencies and funds)
/// as published by the maintenance agency in 2026, sorted. `XXX` ("no
/// currency involved") is left out: amounts in an order always have one.
///
/// Recent changes reflected here: `XCG` replaced `ANG` (2025), `ZWG`
/// replaced `ZWL` (2024), `SLE` replaced `SLL`, `XAD` was added (2025),
/// `BGN` was withdrawn when Bulgaria adopted the euro (2026); `HRK` and
/// `CUC` are gone.
pub const ACTIVE: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD",
    "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF",
    "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
    "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR",
    "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
    "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH",
    "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAD",
    "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF",
    "XPT", "XSU", "XTS", "XUA", "YER", "ZAR", "ZMW", "ZWG",
];

/// Whether `code` is an active ISO 4217 code (exact, upper case).
pub fn is_active(code: &str) -> bool {
    ACTIVE.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_current() {
        assert!(ACTIVE.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ACTIVE.len(), 177);
        for code in ["USD", "EUR", "JPY", "CAD", "XCG", "ZWG", "CHF", "XAU"] {
            assert!(is_active(code), "{code}");
        }
        for code in ["usd", "ANG", "ZWL", "HRK", "DEM", "XXX", "US", "USDD", ""] {
            assert!(!is_active(code), "{code}");
        }
    }
}
