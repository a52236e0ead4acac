//! The rule expression language of `docs/rule-packs.md`: values with three-valued logic, and a
//! parser from text to an unresolved syntax tree (names are resolved by the pack compiler).

use std::cmp::Ordering;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::fields::FieldSet;

/// A value during evaluation. `Copy`, so evaluation allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// An exact number.
    Num(Decimal),
    /// The possible values `[min, max]` of an expert-judged quantity.
    Range(Decimal, Decimal),
    /// Yes/no.
    Bool(bool),
    /// A word: an enumeration value or a literal.
    Word(&'static str),
    /// A date.
    Date(Date),
    /// `none`: the JSON `null` of `industry_field`.
    Nothing,
    /// Not computable from the figures given (a zero denominator): every comparison is false.
    Undefined,
    /// Not known yet: inputs are missing (`missing`), or experts judge (`judged`).
    Unknown { missing: FieldSet, judged: bool },
}

impl Value {
    /// Unknown for want of `missing`.
    pub fn missing(missing: FieldSet) -> Value {
        Value::Unknown {
            missing,
            judged: false,
        }
    }

    /// The `[min, max]` bounds of a number or range.
    pub fn bounds(self) -> Option<(Decimal, Decimal)> {
        match self {
            Value::Num(n) => Some((n, n)),
            Value::Range(lo, hi) => Some((lo, hi)),
            _ => None,
        }
    }

    /// A number when `lo == hi`, else a range.
    pub fn from_bounds(lo: Decimal, hi: Decimal) -> Value {
        if order(lo, hi).is_eq() {
            Value::Num(lo)
        } else {
            Value::Range(lo, hi)
        }
    }
}

/// Powers of ten that fit in an `i128`, to align scales in [`order`].
const POWERS_OF_TEN: [i128; 29] = {
    let mut powers = [1i128; 29];
    let mut i = 1;
    while i < powers.len() {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// `x.cmp(&y)` in one 128-bit multiply and compare where the scales align within an `i128`, as
/// they nearly always do. rust_decimal aligns in 32-bit steps, and band tables compare 28-digit
/// quotients with 2-digit thresholds hundreds of times a profile.
#[inline]
pub(crate) fn order(x: Decimal, y: Decimal) -> Ordering {
    let (mx, my) = (x.mantissa(), y.mantissa());
    let (sx, sy) = (x.scale(), y.scale());
    let aligned = if sx == sy {
        Some((mx, my))
    } else if sx < sy {
        POWERS_OF_TEN[(sy - sx) as usize]
            .checked_mul(mx)
            .map(|mx| (mx, my))
    } else {
        POWERS_OF_TEN[(sx - sy) as usize]
            .checked_mul(my)
            .map(|my| (mx, my))
    };
    match aligned {
        Some((mx, my)) => mx.cmp(&my),
        None => x.cmp(&y),
    }
}

/// `d`'s mantissa at scale 28 (every decimal's scale is at most 28), where it fits an `i128`:
/// numbers at that scale compare as their mantissas.
pub(crate) fn at_scale_28(d: Decimal) -> Option<i128> {
    POWERS_OF_TEN
        .get(28usize.checked_sub(d.scale() as usize)?)?
        .checked_mul(d.mantissa())
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }

    /// The ordering with its sides swapped (`a >= b` is `b <= a`); `None` for any other operator.
    /// For the native gap solve.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn flipped(self) -> Option<BinOp> {
        match self {
            BinOp::Ge => Some(BinOp::Le),
            BinOp::Gt => Some(BinOp::Lt),
            BinOp::Le => Some(BinOp::Ge),
            BinOp::Lt => Some(BinOp::Gt),
            _ => None,
        }
    }
}

/// A parsed expression, names not yet resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    Num(Decimal),
    Str(String),
    Bool(bool),
    Nothing,
    Name(String),
    Neg(Box<Ast>),
    Not(Box<Ast>),
    Bin(BinOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    If(Box<Ast>, Box<Ast>, Box<Ast>),
    Call(String, Vec<Ast>),
}

/// A syntax error at a character column (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub column: usize,
    pub message: String,
}

/// Deepest nesting a rule may have: deep enough for any policy, shallow enough for any stack.
pub const MAX_DEPTH: usize = 48;
/// Longest rule text.
pub const MAX_LEN: usize = 4096;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Decimal),
    Str(String),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let err = |i: usize, message: String| SyntaxError {
        column: i + 1,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            let digits: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
            let mut value = Decimal::from_str_exact(&digits)
                .map_err(|_| err(start, format!("{digits:?} is not a number")))?;
            let scale = match chars.get(i) {
                Some('%') => Some(Decimal::new(1, 2)),
                Some('万') => Some(Decimal::from(10_000)),
                Some('亿') => Some(Decimal::from(100_000_000)),
                _ => None,
            };
            if let Some(scale) = scale {
                i += 1;
                value = value
                    .checked_mul(scale)
                    .ok_or_else(|| err(start, "number too large".into()))?;
            }
            tokens.push((start, Tok::Num(value)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.ends_with('.') || word.contains("..") {
                return Err(err(start, format!("{word:?} is not a name")));
            }
            tokens.push((start, Tok::Ident(word)));
            continue;
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            if i == chars.len() {
                return Err(err(start, "a string is not closed with \"".into()));
            }
            tokens.push((start, Tok::Str(chars[start + 1..i].iter().collect())));
            i += 1;
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let (op, len) = match (two.as_str(), c) {
            (">=", _) => (Tok::Op(">="), 2),
            ("<=", _) => (Tok::Op("<="), 2),
            ("==", _) => (Tok::Op("=="), 2),
            ("!=", _) => (Tok::Op("!="), 2),
            (_, '≥') => (Tok::Op(">="), 1),
            (_, '≤') => (Tok::Op("<="), 1),
            (_, '>') => (Tok::Op(">"), 1),
            (_, '<') => (Tok::Op("<"), 1),
            (_, '+') => (Tok::Op("+"), 1),
            (_, '-') => (Tok::Op("-"), 1),
            (_, '*' | '×') => (Tok::Op("*"), 1),
            (_, '/' | '÷') => (Tok::Op("/"), 1),
            (_, '(') => (Tok::LParen, 1),
            (_, ')') => (Tok::RParen, 1),
            (_, ',') => (Tok::Comma, 1),
            _ => return Err(err(start, format!("unexpected character {c:?}"))),
        };
        tokens.push((start, op));
        i += len;
    }
    Ok(tokens)
}

/// Parses a rule's text.
pub fn parse(text: &str) -> Result<Ast, SyntaxError> {
    if text.len() > MAX_LEN {
        return Err(SyntaxError {
            column: 1,
            message: format!("rule longer than {MAX_LEN} bytes"),
        });
    }
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
        end: text.chars().count() + 1,
    };
    let ast = parser.or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(ast),
        Some((col, tok)) => Err(SyntaxError {
            column: col + 1,
            message: format!("unexpected {} after a complete rule", describe(tok)),
        }),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Ident(s) => format!("name {s:?}"),
        Tok::Op(op) => format!("operator {op:?}"),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Comma => "\",\"".into(),
    }
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }
    fn column(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(c, _)| c + 1)
    }
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            column: self.column(),
            message: message.into(),
        }
    }
    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word)
    }
    fn eat(&mut self, tok: Tok, what: &str) -> Result<(), SyntaxError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(self.error(format!("rule nested deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn or(&mut self) -> Result<Ast, SyntaxError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            left = Ast::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            left = Ast::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, SyntaxError> {
        if self.is_word("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Ast::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Ast, SyntaxError> {
        let left = self.sum()?;
        let op = match self.peek() {
            Some(Tok::Op("==")) => BinOp::Eq,
            Some(Tok::Op("!=")) => BinOp::Ne,
            Some(Tok::Op("<")) => BinOp::Lt,
            Some(Tok::Op("<=")) => BinOp::Le,
            Some(Tok::Op(">")) => BinOp::Gt,
            Some(Tok::Op(">=")) => BinOp::Ge,
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.sum()?;
        if matches!(
            self.peek(),
            Some(Tok::Op("==" | "!=" | "<" | "<=" | ">" | ">="))
        ) {
            return Err(self.error("comparisons do not chain: write `a <= b and b <= c`"));
        }
        Ok(Ast::Bin(op, Box::new(left), Box::new(right)))
    }

    fn sum(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("+")) => BinOp::Add,
                Some(Tok::Op("-")) => BinOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = Ast::Bin(op, Box::new(left), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("*")) => BinOp::Mul,
                Some(Tok::Op("/")) => BinOp::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = Ast::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Ast, SyntaxError> {
        if self.peek() == Some(&Tok::Op("-")) {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Ast::Neg(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Ast, SyntaxError> {
        let Some((_, tok)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error("the rule ends where a value was expected"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Ast::Num(n)),
            Tok::Str(s) => Ok(Ast::Str(s)),
            Tok::LParen => {
                let inner = self.or()?;
                self.eat(Tok::RParen, "\")\"")?;
                Ok(inner)
            }
            Tok::Ident(word) => match word.as_str() {
                "true" => Ok(Ast::Bool(true)),
                "false" => Ok(Ast::Bool(false)),
                "none" => Ok(Ast::Nothing),
                "if" => {
                    self.enter()?;
                    let cond = self.or()?;
                    if !self.is_word("then") {
                        return Err(self.error("expected `then`"));
                    }
                    self.pos += 1;
                    let then = self.or()?;
                    if !self.is_word("else") {
                        return Err(self.error("expected `else`: every `if` needs both branches"));
                    }
                    self.pos += 1;
                    let otherwise = self.or()?;
                    self.depth -= 1;
                    Ok(Ast::If(Box::new(cond), Box::new(then), Box::new(otherwise)))
                }
                "and" | "or" | "not" | "then" | "else" => {
                    self.pos -= 1;
                    Err(self.error(format!("`{word}` where a value was expected")))
                }
                _ if self.peek() == Some(&Tok::LParen) => {
                    self.pos += 1;
                    self.enter()?;
                    let mut args = Vec::new();
                    if self.peek() != Some(&Tok::RParen) {
                        loop {
                            args.push(self.or()?);
                            if self.peek() == Some(&Tok::Comma) {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.eat(Tok::RParen, "\",\" or \")\" in the arguments")?;
                    self.depth -= 1;
                    Ok(Ast::Call(word, args))
                }
                _ => Ok(Ast::Name(word)),
            },
            other => {
                self.pos -= 1;
                Err(self.error(format!(
                    "unexpected {} where a value was expected",
                    describe(&other)
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Ast {
        Ast::Num(Decimal::from_str_exact(text).unwrap())
    }

    #[test]
    fn chinese_units_are_exact() {
        assert_eq!(parse("2000万").unwrap(), num("20000000"));
        assert_eq!(parse("5亿").unwrap(), num("500000000"));
        assert_eq!(parse("60%").unwrap(), num("0.60"));
        assert_eq!(parse("1.5万").unwrap(), num("15000"));
    }

    #[test]
    fn precedence_and_unicode_operators() {
        let ast = parse("a + b * c ≥ 5% and not x or y").unwrap();
        let Ast::Or(left, _) = ast else {
            panic!("or at the top")
        };
        let Ast::And(cmp, _) = *left else {
            panic!("and under or")
        };
        assert!(matches!(*cmp, Ast::Bin(BinOp::Ge, _, _)));
    }

    #[test]
    fn located_errors() {
        assert_eq!(parse("a >= ").unwrap_err().column, 6);
        assert_eq!(parse("a >= b >= c").unwrap_err().column, 8);
        assert!(parse("if a then b").unwrap_err().message.contains("else"));
        assert!(parse("\"open").is_err());
        let deep = "(".repeat(100) + "1" + &")".repeat(100);
        assert!(parse(&deep).unwrap_err().message.contains("deeper"));
    }

    #[test]
    fn calls_and_names() {
        assert_eq!(
            parse("eligible(\"cn.hnte\")").unwrap(),
            Ast::Call("eligible".into(), vec![Ast::Str("cn.hnte".into())])
        );
        assert_eq!(
            parse("sum3.rd_expense").unwrap(),
            Ast::Name("sum3.rd_expense".into())
        );
    }
}
