/// The scalar classes of the BERT normaliser and pre-tokeniser, as the Rust `tokenizers` pipeline
/// that sentence-transformers runs defines them (docs/minilm-recipe.md, "Tokenizer").
enum BertCharacterClasses {
    /// Removed by the cleaning step: U+0000, U+FFFD and categories Cc, Cf, Co other than
    /// `\t \n \r`. Unassigned scalars (Cn) are kept, as in the Rust tokenizer.
    static func isRemovedByCleaning(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00, 0xFFFD: return true
        case 0x20...0x7E: return false  // fast path: printable ASCII
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Unicode White_Space (the cleaning step turns these into spaces; `\v`, `\f` and U+0085
    /// are Cc and are removed before that).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// CJK ideographs that the normaliser surrounds with spaces (not Hiragana, Katakana or Hangul).
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Punctuation, each scalar of which becomes its own word: every non-alphanumeric printable
    /// ASCII scalar (so `$ + < = > ^ | ~` and the backtick count) and general categories P*.
    /// Symbols (Sm, So, emoji) are not punctuation.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<128: return false
        default:
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default:
                return false
            }
        }
    }
}
