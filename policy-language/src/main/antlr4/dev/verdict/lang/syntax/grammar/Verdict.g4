// The Verdict policy language. Generated classes land in dev.verdict.lang.syntax.grammar
// and are touched only by dev.verdict.lang.syntax.AstBuilder; see docs/language.md.
grammar Verdict;

@header { }

file : declaration* EOF ;

declaration
    : entityDecl
    | contextDecl
    | roleDecl
    | actionsDecl
    | actionDecl
    | policyDecl
    | routeDecl
    | limitDecl
    | intentDecl
    | testDecl
    ;

annotation : AT name (LPAREN STRING RPAREN)? ;

// ---- schema ---------------------------------------------------------------
entityDecl  : annotation* ENTITY typeName (IN typeName (COMMA typeName)*)? recordType? ;
contextDecl : annotation* CONTEXT recordType ;
recordType  : LBRACE (attrDecl (COMMA? attrDecl)* COMMA?)? RBRACE ;
// A quoted name declares an attribute whose name is not a word: `"Role-A": Bool`.
attrDecl    : annotation* (attrName | STRING) QUESTION? COLON typeExpr ;
typeExpr    : typeName (LT typeExpr GT)?
            | recordType
            ;

// ---- roles and action groups -----------------------------------------------
roleDecl    : annotation* ROLE name ON (typeName | STAR) WHEN expr # derivedRole
            | annotation* ROLE name (COMMA name)*                    # plainRoles
            ;
actionsDecl : annotation* ACTIONS name ASSIGN actionName (COMMA actionName)* ;
// `action transfer { principal: User, Service  resource: Account  context { amount: Number } }`:
// what one action applies to and the context it carries (besides the global `context`).
actionDecl  : annotation* ACTION actionName LBRACE actionItem* RBRACE ;
actionItem  : PRINCIPAL COLON typeName (COMMA typeName)*   # actionPrincipals
            | RESOURCE COLON typeName (COMMA typeName)*    # actionResources
            | CONTEXT recordType                           # actionContext
            ;

// ---- policies ----------------------------------------------------------------
policyDecl   : annotation* POLICY name ON (typeName | STAR) LBRACE policyMember* RBRACE ;
policyMember : ruleDecl | fieldsBlock ;
ruleDecl     : annotation* effect=(PERMIT | FORBID) actionList (TO name (COMMA name)*)? condition* ;
actionList   : STAR | actionName (COMMA actionName)* ;
// An action that is not a word is quoted: `permit "view-report"`.
actionName   : name | STRING ;
condition    : kind=(WHEN | UNLESS) expr ;

// `fields read on read, list { … }`: the block applies to those actions only.
fieldsBlock    : FIELDS access=(READ | WRITE) (ON actionName (COMMA actionName)*)? LBRACE fieldRule* RBRACE ;
// Conditions combine as a rule's do: `hide when X unless Y` hides when X holds and Y does not.
fieldRule      : annotation* fieldPath (COMMA fieldPath)* COLON fieldEffect fieldCondition* ;
fieldPath      : pathSegment (DOT pathSegment)* ;
pathSegment    : (attrName | STRING) (LBRACKET RBRACKET)? ;
fieldEffect    : HIDE | REDACT | HASH | DENY | PARTIAL LPAREN NUMBER RPAREN ;
fieldCondition : kind=(WHEN | UNLESS) (roleNames | expr) ;
roleNames      : name (COMMA name)* ;

// ---- routes and limits -------------------------------------------------------
// A route's `intent` is on the route's line: `intent "x"` on a line of its own declares an
// intent that only services use (intentDecl), it does not belong to the route above it.
routeDecl : annotation* ROUTE method=name STRING ARROW typeName (LBRACKET routeId RBRACKET)? DOT actionName
            ({_input.LT(1).getLine() == _input.LT(-1).getLine()}? INTENT STRING)? ;
// `[id]` binds a template parameter, `["session"]` a fixed id, `[route]` the template itself.
routeId : name | STRING ;
intentDecl : annotation* INTENT STRING ;
limitDecl : annotation* LIMIT name ON INTENT STRING (BY expr (COMMA expr)*)? LBRACE limitLine* limitUnavailable? RBRACE ;
// `on unavailable deny|allow|local`: both words are names, checked by the checker (with help).
limitUnavailable : ON name name ;
// `window`: at most N in any period (a sliding window) instead of a token bucket.
limitLine : NUMBER PER DURATION (BURST NUMBER | WINDOW)? (WHEN expr)? ;

// ---- tests -------------------------------------------------------------------
testDecl : annotation* TEST STRING LBRACE testItem* RBRACE ;
testItem
    : PRINCIPAL entitySpec                                  # testPrincipal
    | RESOURCE entitySpec                                   # testResource
    | ENTITY entitySpec                                     # testEntity
    | CONTEXT recordLiteral                                 # testContext
    | ACTION actionName                                     # testAction
    | REQUEST name STRING                                   # testRequest
    | EXPECT expectation                                    # testExpect
    | REPEAT NUMBER EXPECT which=(LAST | ALL) expectation   # testRepeat
    ;
entitySpec  : (typeName COLONCOLON? STRING)? (IN entityRef (COMMA entityRef)*)? recordLiteral? ;
entityRef   : typeName COLONCOLON? STRING ;
expectation : outcome=(ALLOW | DENY | RATE_LIMITED) (BECAUSE STRING (COMMA STRING)*)? fieldExpect* ;
fieldExpect : FIELDS access=(READ | WRITE)? LBRACE (fieldExpectEntry (COMMA? fieldExpectEntry)* COMMA?)? RBRACE ;
fieldExpectEntry : fieldPath COLON fieldEffect ;

// ---- expressions -------------------------------------------------------------
expr
    : IF expr THEN expr ELSE expr   # ifExpr
    | orExpr                        # plainExpr
    ;
orExpr   : andExpr (OR andExpr)* ;
andExpr  : notExpr (AND notExpr)* ;
notExpr  : NOT notExpr | relExpr ;
relExpr
    : addExpr ( relOp addExpr
              | IN addExpr
              | IN group=name
              | IS typeName (IN addExpr)?
              | HAS (attrName | STRING)
              | LIKE STRING
              )?
    ;
relOp    : EQ | NE | LT | LE | GT | GE ;
addExpr  : negExpr (addOp negExpr)* ;
addOp    : PLUS | MINUS ;
negExpr  : MINUS negExpr | postfixExpr ;
postfixExpr : primary postfix* ;
postfix
    : DOT attrName LPAREN (expr (COMMA expr)*)? RPAREN   # methodCall
    | DOT attrName                  # getAttr
    | LBRACKET expr RBRACKET        # index
    ;
primary
    : STRING                                        # stringLit
    | NUMBER                                        # numberLit
    | DURATION                                      # durationLit
    | (TRUE | FALSE)                                # boolLit
    | var=(PRINCIPAL | RESOURCE | CONTEXT | ACTION) # variable
    // A template's slot: legal only as `when principal == ?principal` (or `in`), checked by the AST builder.
    | QUESTION slotVar=(PRINCIPAL | RESOURCE)       # slot
    | name LPAREN (expr (COMMA expr)*)? RPAREN      # call
    | typeName COLONCOLON STRING                    # entityLit
    | LPAREN expr RPAREN                            # parens
    | LBRACKET (expr (COMMA expr)* COMMA?)? RBRACKET # listLit
    | recordLiteral                                 # recordLit
    ;
recordLiteral : LBRACE (recordEntry (COMMA recordEntry)* COMMA?)? RBRACE ;
recordEntry   : (attrName | STRING) COLON expr ;

// An entity type, maybe in a namespace: `User`, `App::User`, `Org::App::User`.
typeName : name (COLONCOLON name)* ;

// A name: identifiers and the keywords that only mean something in one position.
name
    : IDENT
    | ENTITY | ROLE | ACTIONS | POLICY | ROUTE | LIMIT | TEST | ON | TO | FIELDS | READ | WRITE
    | HIDE | REDACT | PARTIAL | HASH | DENY | INTENT | BY | PER | BURST | EXPECT | REPEAT | LAST
    | ALL | ALLOW | RATE_LIMITED | REQUEST | BECAUSE | WINDOW
    ;
// After a dot, as a record key or schema attribute, every word is a name.
attrName
    : name
    | PERMIT | FORBID | WHEN | UNLESS | IF | THEN | ELSE | AND | OR | NOT | IN | IS | HAS | LIKE
    | TRUE | FALSE | PRINCIPAL | RESOURCE | CONTEXT | ACTION
    ;

// ---- lexer -------------------------------------------------------------------
PERMIT: 'permit'; FORBID: 'forbid'; WHEN: 'when'; UNLESS: 'unless';
IF: 'if'; THEN: 'then'; ELSE: 'else'; AND: 'and'; OR: 'or'; NOT: 'not';
IN: 'in'; IS: 'is'; HAS: 'has'; LIKE: 'like'; TRUE: 'true'; FALSE: 'false';
PRINCIPAL: 'principal'; RESOURCE: 'resource'; CONTEXT: 'context'; ACTION: 'action';

ENTITY: 'entity'; ROLE: 'role'; ACTIONS: 'actions'; POLICY: 'policy'; ROUTE: 'route';
LIMIT: 'limit'; TEST: 'test'; ON: 'on'; TO: 'to'; FIELDS: 'fields'; READ: 'read';
WRITE: 'write'; HIDE: 'hide'; REDACT: 'redact'; PARTIAL: 'partial'; HASH: 'hash';
DENY: 'deny'; INTENT: 'intent'; BY: 'by'; PER: 'per'; BURST: 'burst'; EXPECT: 'expect';
REPEAT: 'repeat'; LAST: 'last'; ALL: 'all'; ALLOW: 'allow'; RATE_LIMITED: 'rate_limited';
REQUEST: 'request'; BECAUSE: 'because'; WINDOW: 'window';

ARROW: '->'; COLONCOLON: '::'; COLON: ':'; COMMA: ',' ; DOT: '.'; AT: '@'; QUESTION: '?';
LPAREN: '('; RPAREN: ')'; LBRACKET: '['; RBRACKET: ']'; LBRACE: '{'; RBRACE: '}';
EQ: '=='; NE: '!='; LE: '<='; GE: '>='; LT: '<'; GT: '>'; ASSIGN: '=';
PLUS: '+'; MINUS: '-'; STAR: '*';

DURATION : (DIGITS ('ms' | 's' | 'm' | 'h' | 'd'))+ ;
NUMBER   : DIGITS ('.' DIGITS)? ;
// The closing quote is optional so that an unterminated string is one token the
// AST builder can report with its position, instead of a cascade of errors.
STRING   : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"'? ;
IDENT    : [a-zA-Z_] [a-zA-Z0-9_]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(2);
// Likewise an unterminated block comment runs to the end of the file and is reported.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(2);
WS            : [ \t\r\n\u000C]+ -> channel(HIDDEN);
// Anything else is one bad character, reported by the parser front end.
BAD_CHAR      : . ;

fragment DIGITS : [0-9]+ ;
