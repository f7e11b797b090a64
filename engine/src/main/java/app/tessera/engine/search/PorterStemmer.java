package app.tessera.engine.search;

import java.nio.charset.StandardCharsets;

/**
 * The Porter (1980) stemmer exactly as SQLite's FTS5 {@code porter} tokenizer applies it, so that
 * {@link WordIndex} stems as the catalogue's full-text table does: a token of fewer than 3 or more
 * than 64 UTF-8 bytes is kept as it is, and the rules test ASCII letters only (any other byte is a
 * consonant). Within each step the first rule whose suffix matches decides, even when its condition
 * then fails (as in FTS5).
 */
final class PorterStemmer {
  private static final int MAX_BYTES = 64;

  /** One rule: a suffix, the condition on the stem before it, and its replacement. */
  private record Rule(String suffix, Condition condition, String replacement) {}

  private interface Condition {
    boolean test(byte[] b, int n);
  }

  private static final Condition M_GT_0 = (b, n) -> gobbleVc(b, 0, n, false) != 0;
  private static final Condition M_GT_1 = PorterStemmer::measureAbove1;
  private static final Condition HAS_VOWEL = PorterStemmer::hasVowel;
  private static final Condition S_OR_T_AND_M_GT_1 =
      (b, n) -> n > 0 && (b[n - 1] == 's' || b[n - 1] == 't') && measureAbove1(b, n);

  private static final Rule[] STEP_1B = {
    new Rule("eed", M_GT_0, "ee"), new Rule("ed", HAS_VOWEL, ""), new Rule("ing", HAS_VOWEL, "")
  };
  private static final Rule[] STEP_1B2 = {
    new Rule("at", null, "ate"), new Rule("bl", null, "ble"), new Rule("iz", null, "ize")
  };
  private static final Rule[] STEP_2 = {
    new Rule("ational", M_GT_0, "ate"),
    new Rule("tional", M_GT_0, "tion"),
    new Rule("enci", M_GT_0, "ence"),
    new Rule("anci", M_GT_0, "ance"),
    new Rule("izer", M_GT_0, "ize"),
    new Rule("logi", M_GT_0, "log"),
    new Rule("bli", M_GT_0, "ble"),
    new Rule("alli", M_GT_0, "al"),
    new Rule("entli", M_GT_0, "ent"),
    new Rule("eli", M_GT_0, "e"),
    new Rule("ousli", M_GT_0, "ous"),
    new Rule("ization", M_GT_0, "ize"),
    new Rule("ation", M_GT_0, "ate"),
    new Rule("ator", M_GT_0, "ate"),
    new Rule("alism", M_GT_0, "al"),
    new Rule("iveness", M_GT_0, "ive"),
    new Rule("fulness", M_GT_0, "ful"),
    new Rule("ousness", M_GT_0, "ous"),
    new Rule("aliti", M_GT_0, "al"),
    new Rule("iviti", M_GT_0, "ive"),
    new Rule("biliti", M_GT_0, "ble")
  };
  private static final Rule[] STEP_3 = {
    new Rule("icate", M_GT_0, "ic"),
    new Rule("ative", M_GT_0, ""),
    new Rule("alize", M_GT_0, "al"),
    new Rule("iciti", M_GT_0, "ic"),
    new Rule("ical", M_GT_0, "ic"),
    new Rule("ful", M_GT_0, ""),
    new Rule("ness", M_GT_0, "")
  };
  private static final Rule[] STEP_4 = {
    new Rule("al", M_GT_1, ""),
    new Rule("ance", M_GT_1, ""),
    new Rule("ence", M_GT_1, ""),
    new Rule("er", M_GT_1, ""),
    new Rule("ic", M_GT_1, ""),
    new Rule("able", M_GT_1, ""),
    new Rule("ible", M_GT_1, ""),
    new Rule("ant", M_GT_1, ""),
    new Rule("ement", M_GT_1, ""),
    new Rule("ment", M_GT_1, ""),
    new Rule("ent", M_GT_1, ""),
    new Rule("ion", S_OR_T_AND_M_GT_1, ""),
    new Rule("ou", M_GT_1, ""),
    new Rule("ism", M_GT_1, ""),
    new Rule("ate", M_GT_1, ""),
    new Rule("iti", M_GT_1, ""),
    new Rule("ous", M_GT_1, ""),
    new Rule("ive", M_GT_1, ""),
    new Rule("ize", M_GT_1, "")
  };

  private PorterStemmer() {}

  /** The stem of one folded token (lower case, accents removed). */
  static String stem(String token) {
    boolean ascii = token.chars().allMatch(ch -> ch < 0x80);
    byte[] in = ascii ? null : token.getBytes(StandardCharsets.UTF_8);
    int length = ascii ? token.length() : in.length;
    if (length < 3 || length > MAX_BYTES) {
      return token;
    }
    byte[] b = new byte[length + 1]; // step 1b may add an 'e'
    for (int i = 0; i < length; i++) {
      b[i] = ascii ? (byte) token.charAt(i) : in[i];
    }
    int n = length;
    n = step1a(b, n);
    int[] result = apply(b, n, STEP_1B);
    n = result[0];
    if (result[1] != 0) {
      result = apply(b, n, STEP_1B2);
      n = result[0];
      if (result[1] == 0) {
        byte c = b[n - 1];
        if (!isVowel(c, false) && c != 'l' && c != 's' && c != 'z' && n > 1 && c == b[n - 2]) {
          n--;
        } else if (measureIs1(b, n) && endsCvc(b, n)) {
          b[n++] = 'e';
        }
      }
    }
    if (b[n - 1] == 'y' && hasVowel(b, n - 1)) { // step 1c
      b[n - 1] = 'i';
    }
    n = apply(b, n, STEP_2)[0];
    n = apply(b, n, STEP_3)[0];
    n = apply(b, n, STEP_4)[0];
    if (b[n - 1] == 'e' // step 5a
        && (measureAbove1(b, n - 1) || (measureIs1(b, n - 1) && !endsCvc(b, n - 1)))) {
      n--;
    }
    if (n > 1 && b[n - 1] == 'l' && b[n - 2] == 'l' && measureAbove1(b, n - 1)) { // step 5b
      n--;
    }
    return new String(b, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private static int step1a(byte[] b, int n) {
    if (b[n - 1] != 's') {
      return n;
    }
    if (b[n - 2] == 'e') {
      boolean sses = n > 4 && b[n - 4] == 's' && b[n - 3] == 's';
      boolean ies = n > 3 && b[n - 3] == 'i';
      return sses || ies ? n - 2 : n - 1;
    }
    return b[n - 2] != 's' ? n - 1 : n;
  }

  /**
   * Applies the first rule whose suffix ends the word (and is shorter than it): {new length, 1 if
   * that rule's condition held}.
   */
  private static int[] apply(byte[] b, int n, Rule[] rules) {
    for (Rule rule : rules) {
      String suffix = rule.suffix();
      int s = suffix.length();
      if (n <= s || !endsWith(b, n, suffix)) {
        continue;
      }
      int stem = n - s;
      if (rule.condition() != null && !rule.condition().test(b, stem)) {
        return new int[] {n, 0};
      }
      String r = rule.replacement();
      for (int i = 0; i < r.length(); i++) {
        b[stem + i] = (byte) r.charAt(i);
      }
      return new int[] {stem + r.length(), 1};
    }
    return new int[] {n, 0};
  }

  private static boolean endsWith(byte[] b, int n, String suffix) {
    int s = suffix.length();
    for (int i = 0; i < s; i++) {
      if (b[n - s + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVowel(byte c, boolean yIsVowel) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (yIsVowel && c == 'y');
  }

  /** Past the first vowel-then-consonant run of {@code b[from, n)}: its end, or 0 if none. */
  private static int gobbleVc(byte[] b, int from, int n, boolean previousConsonant) {
    boolean consonant = previousConsonant;
    int i = from;
    for (; i < n; i++) {
      consonant = !isVowel(b[i], consonant);
      if (!consonant) {
        break;
      }
    }
    for (i++; i < n; i++) {
      consonant = !isVowel(b[i], consonant);
      if (consonant) {
        return i + 1;
      }
    }
    return 0;
  }

  private static boolean measureAbove1(byte[] b, int n) {
    int first = gobbleVc(b, 0, n, false);
    return first != 0 && gobbleVc(b, first, n, true) != 0;
  }

  private static boolean measureIs1(byte[] b, int n) {
    int first = gobbleVc(b, 0, n, false);
    return first != 0 && gobbleVc(b, first, n, true) == 0;
  }

  /** *v*: a vowel in {@code b[0, n)} ('y' counts after the first letter). */
  private static boolean hasVowel(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (isVowel(b[i], i > 0)) {
        return true;
      }
    }
    return false;
  }

  /** *o: ends consonant, vowel, consonant, the last not w, x or y. */
  private static boolean endsCvc(byte[] b, int n) {
    if (n == 0) {
      return false;
    }
    byte last = b[n - 1];
    if (last == 'w' || last == 'x' || last == 'y') {
      return false;
    }
    int mask = 0;
    boolean consonant = false;
    for (int i = 0; i < n; i++) {
      consonant = !isVowel(b[i], consonant);
      mask = (mask << 1) + (consonant ? 1 : 0);
    }
    return (mask & 7) == 5;
  }
}
