/// The built-in functions of BIFF formulas by their Ftab index (MS-XLS 2.5.198.17): the name a
/// formula shows and, for the functions called with a fixed number of arguments, that number.
///
/// PtgFunc carries no argument count: it is only written for a function whose count is fixed, and
/// the count comes from here. PtgFuncVar carries its own count, so a function without a fixed count
/// (nil) — every variadic worksheet function, and the macro-sheet functions, whose counts are not
/// needed by worksheets — is still named. Indices the table leaves unassigned are nil, as is 0x00FF,
/// which is not a function: it calls the user-defined or add-in function named by its first operand.
enum FunctionTable {
    struct Function {
        let name: String
        let fixedArgumentCount: Int?

        init(_ name: String, _ fixedArgumentCount: Int? = nil) {
            self.name = name
            self.fixedArgumentCount = fixedArgumentCount
        }
    }

    /// The user-defined function call of PtgFuncVar (MS-XLS 2.5.198.63).
    static let userDefined = 0x00FF

    static func function(_ index: Int) -> Function? {
        index >= 0 && index < functions.count ? functions[index] : nil
    }

    private static let functions: [Function?] = [
        Function("COUNT"),                      // 0x0000
        Function("IF"),                         // 0x0001
        Function("ISNA", 1),                    // 0x0002
        Function("ISERROR", 1),                 // 0x0003
        Function("SUM"),                        // 0x0004
        Function("AVERAGE"),                    // 0x0005
        Function("MIN"),                        // 0x0006
        Function("MAX"),                        // 0x0007
        Function("ROW"),                        // 0x0008
        Function("COLUMN"),                     // 0x0009
        Function("NA", 0),                      // 0x000A
        Function("NPV"),                        // 0x000B
        Function("STDEV"),                      // 0x000C
        Function("DOLLAR"),                     // 0x000D
        Function("FIXED"),                      // 0x000E
        Function("SIN", 1),                     // 0x000F
        Function("COS", 1),                     // 0x0010
        Function("TAN", 1),                     // 0x0011
        Function("ATAN", 1),                    // 0x0012
        Function("PI", 0),                      // 0x0013
        Function("SQRT", 1),                    // 0x0014
        Function("EXP", 1),                     // 0x0015
        Function("LN", 1),                      // 0x0016
        Function("LOG10", 1),                   // 0x0017
        Function("ABS", 1),                     // 0x0018
        Function("INT", 1),                     // 0x0019
        Function("SIGN", 1),                    // 0x001A
        Function("ROUND", 2),                   // 0x001B
        Function("LOOKUP"),                     // 0x001C
        Function("INDEX"),                      // 0x001D
        Function("REPT", 2),                    // 0x001E
        Function("MID", 3),                     // 0x001F
        Function("LEN", 1),                     // 0x0020
        Function("VALUE", 1),                   // 0x0021
        Function("TRUE", 0),                    // 0x0022
        Function("FALSE", 0),                   // 0x0023
        Function("AND"),                        // 0x0024
        Function("OR"),                         // 0x0025
        Function("NOT", 1),                     // 0x0026
        Function("MOD", 2),                     // 0x0027
        Function("DCOUNT", 3),                  // 0x0028
        Function("DSUM", 3),                    // 0x0029
        Function("DAVERAGE", 3),                // 0x002A
        Function("DMIN", 3),                    // 0x002B
        Function("DMAX", 3),                    // 0x002C
        Function("DSTDEV", 3),                  // 0x002D
        Function("VAR"),                        // 0x002E
        Function("DVAR", 3),                    // 0x002F
        Function("TEXT", 2),                    // 0x0030
        Function("LINEST"),                     // 0x0031
        Function("TREND"),                      // 0x0032
        Function("LOGEST"),                     // 0x0033
        Function("GROWTH"),                     // 0x0034
        Function("GOTO"),                       // 0x0035
        Function("HALT"),                       // 0x0036
        Function("RETURN"),                     // 0x0037
        Function("PV"),                         // 0x0038
        Function("FV"),                         // 0x0039
        Function("NPER"),                       // 0x003A
        Function("PMT"),                        // 0x003B
        Function("RATE"),                       // 0x003C
        Function("MIRR", 3),                    // 0x003D
        Function("IRR"),                        // 0x003E
        Function("RAND", 0),                    // 0x003F
        Function("MATCH"),                      // 0x0040
        Function("DATE", 3),                    // 0x0041
        Function("TIME", 3),                    // 0x0042
        Function("DAY", 1),                     // 0x0043
        Function("MONTH", 1),                   // 0x0044
        Function("YEAR", 1),                    // 0x0045
        Function("WEEKDAY"),                    // 0x0046
        Function("HOUR", 1),                    // 0x0047
        Function("MINUTE", 1),                  // 0x0048
        Function("SECOND", 1),                  // 0x0049
        Function("NOW", 0),                     // 0x004A
        Function("AREAS", 1),                   // 0x004B
        Function("ROWS", 1),                    // 0x004C
        Function("COLUMNS", 1),                 // 0x004D
        Function("OFFSET"),                     // 0x004E
        Function("ABSREF"),                     // 0x004F
        Function("RELREF"),                     // 0x0050
        Function("ARGUMENT"),                   // 0x0051
        Function("SEARCH"),                     // 0x0052
        Function("TRANSPOSE", 1),               // 0x0053
        Function("ERROR"),                      // 0x0054
        Function("STEP"),                       // 0x0055
        Function("TYPE", 1),                    // 0x0056
        Function("ECHO"),                       // 0x0057
        Function("SET.NAME"),                   // 0x0058
        Function("CALLER"),                     // 0x0059
        Function("DEREF"),                      // 0x005A
        Function("WINDOWS"),                    // 0x005B
        Function("SERIES"),                     // 0x005C
        Function("DOCUMENTS"),                  // 0x005D
        Function("ACTIVE.CELL"),                // 0x005E
        Function("SELECTION"),                  // 0x005F
        Function("RESULT"),                     // 0x0060
        Function("ATAN2", 2),                   // 0x0061
        Function("ASIN", 1),                    // 0x0062
        Function("ACOS", 1),                    // 0x0063
        Function("CHOOSE"),                     // 0x0064
        Function("HLOOKUP"),                    // 0x0065
        Function("VLOOKUP"),                    // 0x0066
        Function("LINKS"),                      // 0x0067
        Function("INPUT"),                      // 0x0068
        Function("ISREF", 1),                   // 0x0069
        Function("GET.FORMULA"),                // 0x006A
        Function("GET.NAME"),                   // 0x006B
        Function("SET.VALUE"),                  // 0x006C
        Function("LOG"),                        // 0x006D
        Function("EXEC"),                       // 0x006E
        Function("CHAR", 1),                    // 0x006F
        Function("LOWER", 1),                   // 0x0070
        Function("UPPER", 1),                   // 0x0071
        Function("PROPER", 1),                  // 0x0072
        Function("LEFT"),                       // 0x0073
        Function("RIGHT"),                      // 0x0074
        Function("EXACT", 2),                   // 0x0075
        Function("TRIM", 1),                    // 0x0076
        Function("REPLACE", 4),                 // 0x0077
        Function("SUBSTITUTE"),                 // 0x0078
        Function("CODE", 1),                    // 0x0079
        Function("NAMES"),                      // 0x007A
        Function("DIRECTORY"),                  // 0x007B
        Function("FIND"),                       // 0x007C
        Function("CELL"),                       // 0x007D
        Function("ISERR", 1),                   // 0x007E
        Function("ISTEXT", 1),                  // 0x007F
        Function("ISNUMBER", 1),                // 0x0080
        Function("ISBLANK", 1),                 // 0x0081
        Function("T", 1),                       // 0x0082
        Function("N", 1),                       // 0x0083
        Function("FOPEN"),                      // 0x0084
        Function("FCLOSE"),                     // 0x0085
        Function("FSIZE"),                      // 0x0086
        Function("FREADLN"),                    // 0x0087
        Function("FREAD"),                      // 0x0088
        Function("FWRITELN"),                   // 0x0089
        Function("FWRITE"),                     // 0x008A
        Function("FPOS"),                       // 0x008B
        Function("DATEVALUE", 1),               // 0x008C
        Function("TIMEVALUE", 1),               // 0x008D
        Function("SLN", 3),                     // 0x008E
        Function("SYD", 4),                     // 0x008F
        Function("DDB"),                        // 0x0090
        Function("GET.DEF"),                    // 0x0091
        Function("REFTEXT"),                    // 0x0092
        Function("TEXTREF"),                    // 0x0093
        Function("INDIRECT"),                   // 0x0094
        Function("REGISTER"),                   // 0x0095
        Function("CALL"),                       // 0x0096
        Function("ADD.BAR"),                    // 0x0097
        Function("ADD.MENU"),                   // 0x0098
        Function("ADD.COMMAND"),                // 0x0099
        Function("ENABLE.COMMAND"),             // 0x009A
        Function("CHECK.COMMAND"),              // 0x009B
        Function("RENAME.COMMAND"),             // 0x009C
        Function("SHOW.BAR"),                   // 0x009D
        Function("DELETE.MENU"),                // 0x009E
        Function("DELETE.COMMAND"),             // 0x009F
        Function("GET.CHART.ITEM"),             // 0x00A0
        Function("DIALOG.BOX"),                 // 0x00A1
        Function("CLEAN", 1),                   // 0x00A2
        Function("MDETERM", 1),                 // 0x00A3
        Function("MINVERSE", 1),                // 0x00A4
        Function("MMULT", 2),                   // 0x00A5
        Function("FILES"),                      // 0x00A6
        Function("IPMT"),                       // 0x00A7
        Function("PPMT"),                       // 0x00A8
        Function("COUNTA"),                     // 0x00A9
        Function("CANCEL.KEY"),                 // 0x00AA
        Function("FOR"),                        // 0x00AB
        Function("WHILE"),                      // 0x00AC
        Function("BREAK"),                      // 0x00AD
        Function("NEXT"),                       // 0x00AE
        Function("INITIATE"),                   // 0x00AF
        Function("REQUEST"),                    // 0x00B0
        Function("POKE"),                       // 0x00B1
        Function("EXECUTE"),                    // 0x00B2
        Function("TERMINATE"),                  // 0x00B3
        Function("RESTART"),                    // 0x00B4
        Function("HELP"),                       // 0x00B5
        Function("GET.BAR"),                    // 0x00B6
        Function("PRODUCT"),                    // 0x00B7
        Function("FACT", 1),                    // 0x00B8
        Function("GET.CELL"),                   // 0x00B9
        Function("GET.WORKSPACE"),              // 0x00BA
        Function("GET.WINDOW"),                 // 0x00BB
        Function("GET.DOCUMENT"),               // 0x00BC
        Function("DPRODUCT", 3),                // 0x00BD
        Function("ISNONTEXT", 1),               // 0x00BE
        Function("GET.NOTE"),                   // 0x00BF
        Function("NOTE"),                       // 0x00C0
        Function("STDEVP"),                     // 0x00C1
        Function("VARP"),                       // 0x00C2
        Function("DSTDEVP", 3),                 // 0x00C3
        Function("DVARP", 3),                   // 0x00C4
        Function("TRUNC"),                      // 0x00C5
        Function("ISLOGICAL", 1),               // 0x00C6
        Function("DCOUNTA", 3),                 // 0x00C7
        Function("DELETE.BAR"),                 // 0x00C8
        Function("UNREGISTER"),                 // 0x00C9
        nil,                                    // 0x00CA
        nil,                                    // 0x00CB
        Function("USDOLLAR"),                   // 0x00CC
        Function("FINDB"),                      // 0x00CD
        Function("SEARCHB"),                    // 0x00CE
        Function("REPLACEB", 4),                // 0x00CF
        Function("LEFTB"),                      // 0x00D0
        Function("RIGHTB"),                     // 0x00D1
        Function("MIDB", 3),                    // 0x00D2
        Function("LENB", 1),                    // 0x00D3
        Function("ROUNDUP", 2),                 // 0x00D4
        Function("ROUNDDOWN", 2),               // 0x00D5
        Function("ASC", 1),                     // 0x00D6
        Function("DBCS", 1),                    // 0x00D7
        Function("RANK"),                       // 0x00D8
        nil,                                    // 0x00D9
        nil,                                    // 0x00DA
        Function("ADDRESS"),                    // 0x00DB
        Function("DAYS360"),                    // 0x00DC
        Function("TODAY", 0),                   // 0x00DD
        Function("VDB"),                        // 0x00DE
        Function("ELSE"),                       // 0x00DF
        Function("ELSE.IF"),                    // 0x00E0
        Function("END.IF"),                     // 0x00E1
        Function("FOR.CELL"),                   // 0x00E2
        Function("MEDIAN"),                     // 0x00E3
        Function("SUMPRODUCT"),                 // 0x00E4
        Function("SINH", 1),                    // 0x00E5
        Function("COSH", 1),                    // 0x00E6
        Function("TANH", 1),                    // 0x00E7
        Function("ASINH", 1),                   // 0x00E8
        Function("ACOSH", 1),                   // 0x00E9
        Function("ATANH", 1),                   // 0x00EA
        Function("DGET", 3),                    // 0x00EB
        Function("CREATE.OBJECT"),              // 0x00EC
        Function("VOLATILE"),                   // 0x00ED
        Function("LAST.ERROR"),                 // 0x00EE
        Function("CUSTOM.UNDO"),                // 0x00EF
        Function("CUSTOM.REPEAT"),              // 0x00F0
        Function("FORMULA.CONVERT"),            // 0x00F1
        Function("GET.LINK.INFO"),              // 0x00F2
        Function("TEXT.BOX"),                   // 0x00F3
        Function("INFO", 1),                    // 0x00F4
        Function("GROUP"),                      // 0x00F5
        Function("GET.OBJECT"),                 // 0x00F6
        Function("DB"),                         // 0x00F7
        Function("PAUSE"),                      // 0x00F8
        nil,                                    // 0x00F9
        nil,                                    // 0x00FA
        Function("RESUME"),                     // 0x00FB
        Function("FREQUENCY", 2),               // 0x00FC
        Function("ADD.TOOLBAR"),                // 0x00FD
        Function("DELETE.TOOLBAR"),             // 0x00FE
        nil,                                    // 0x00FF
        Function("RESET.TOOLBAR"),              // 0x0100
        Function("EVALUATE"),                   // 0x0101
        Function("GET.TOOLBAR"),                // 0x0102
        Function("GET.TOOL"),                   // 0x0103
        Function("SPELLING.CHECK"),             // 0x0104
        Function("ERROR.TYPE", 1),              // 0x0105
        Function("APP.TITLE"),                  // 0x0106
        Function("WINDOW.TITLE"),               // 0x0107
        Function("SAVE.TOOLBAR"),               // 0x0108
        Function("ENABLE.TOOL"),                // 0x0109
        Function("PRESS.TOOL"),                 // 0x010A
        Function("REGISTER.ID"),                // 0x010B
        Function("GET.WORKBOOK"),               // 0x010C
        Function("AVEDEV"),                     // 0x010D
        Function("BETADIST"),                   // 0x010E
        Function("GAMMALN", 1),                 // 0x010F
        Function("BETAINV"),                    // 0x0110
        Function("BINOMDIST", 4),               // 0x0111
        Function("CHIDIST", 2),                 // 0x0112
        Function("CHIINV", 2),                  // 0x0113
        Function("COMBIN", 2),                  // 0x0114
        Function("CONFIDENCE", 3),              // 0x0115
        Function("CRITBINOM", 3),               // 0x0116
        Function("EVEN", 1),                    // 0x0117
        Function("EXPONDIST", 3),               // 0x0118
        Function("FDIST", 3),                   // 0x0119
        Function("FINV", 3),                    // 0x011A
        Function("FISHER", 1),                  // 0x011B
        Function("FISHERINV", 1),               // 0x011C
        Function("FLOOR", 2),                   // 0x011D
        Function("GAMMADIST", 4),               // 0x011E
        Function("GAMMAINV", 3),                // 0x011F
        Function("CEILING", 2),                 // 0x0120
        Function("HYPGEOMDIST", 4),             // 0x0121
        Function("LOGNORMDIST", 3),             // 0x0122
        Function("LOGINV", 3),                  // 0x0123
        Function("NEGBINOMDIST", 3),            // 0x0124
        Function("NORMDIST", 4),                // 0x0125
        Function("NORMSDIST", 1),               // 0x0126
        Function("NORMINV", 3),                 // 0x0127
        Function("NORMSINV", 1),                // 0x0128
        Function("STANDARDIZE", 3),             // 0x0129
        Function("ODD", 1),                     // 0x012A
        Function("PERMUT", 2),                  // 0x012B
        Function("POISSON", 3),                 // 0x012C
        Function("TDIST", 3),                   // 0x012D
        Function("WEIBULL", 4),                 // 0x012E
        Function("SUMXMY2", 2),                 // 0x012F
        Function("SUMX2MY2", 2),                // 0x0130
        Function("SUMX2PY2", 2),                // 0x0131
        Function("CHITEST", 2),                 // 0x0132
        Function("CORREL", 2),                  // 0x0133
        Function("COVAR", 2),                   // 0x0134
        Function("FORECAST", 3),                // 0x0135
        Function("FTEST", 2),                   // 0x0136
        Function("INTERCEPT", 2),               // 0x0137
        Function("PEARSON", 2),                 // 0x0138
        Function("RSQ", 2),                     // 0x0139
        Function("STEYX", 2),                   // 0x013A
        Function("SLOPE", 2),                   // 0x013B
        Function("TTEST", 4),                   // 0x013C
        Function("PROB"),                       // 0x013D
        Function("DEVSQ"),                      // 0x013E
        Function("GEOMEAN"),                    // 0x013F
        Function("HARMEAN"),                    // 0x0140
        Function("SUMSQ"),                      // 0x0141
        Function("KURT"),                       // 0x0142
        Function("SKEW"),                       // 0x0143
        Function("ZTEST"),                      // 0x0144
        Function("LARGE", 2),                   // 0x0145
        Function("SMALL", 2),                   // 0x0146
        Function("QUARTILE", 2),                // 0x0147
        Function("PERCENTILE", 2),              // 0x0148
        Function("PERCENTRANK"),                // 0x0149
        Function("MODE"),                       // 0x014A
        Function("TRIMMEAN", 2),                // 0x014B
        Function("TINV", 2),                    // 0x014C
        nil,                                    // 0x014D
        Function("MOVIE.COMMAND"),              // 0x014E
        Function("GET.MOVIE"),                  // 0x014F
        Function("CONCATENATE"),                // 0x0150
        Function("POWER", 2),                   // 0x0151
        Function("PIVOT.ADD.DATA"),             // 0x0152
        Function("GET.PIVOT.TABLE"),            // 0x0153
        Function("GET.PIVOT.FIELD"),            // 0x0154
        Function("GET.PIVOT.ITEM"),             // 0x0155
        Function("RADIANS", 1),                 // 0x0156
        Function("DEGREES", 1),                 // 0x0157
        Function("SUBTOTAL"),                   // 0x0158
        Function("SUMIF"),                      // 0x0159
        Function("COUNTIF", 2),                 // 0x015A
        Function("COUNTBLANK", 1),              // 0x015B
        Function("SCENARIO.GET"),               // 0x015C
        Function("OPTIONS.LISTS.GET"),          // 0x015D
        Function("ISPMT", 4),                   // 0x015E
        Function("DATEDIF", 3),                 // 0x015F
        Function("DATESTRING", 1),              // 0x0160
        Function("NUMBERSTRING", 2),            // 0x0161
        Function("ROMAN"),                      // 0x0162
        Function("OPEN.DIALOG"),                // 0x0163
        Function("SAVE.DIALOG"),                // 0x0164
        Function("VIEW.GET"),                   // 0x0165
        Function("GETPIVOTDATA", 2),            // 0x0166
        Function("HYPERLINK"),                  // 0x0167
        Function("PHONETIC", 1),                // 0x0168
        Function("AVERAGEA"),                   // 0x0169
        Function("MAXA"),                       // 0x016A
        Function("MINA"),                       // 0x016B
        Function("STDEVPA"),                    // 0x016C
        Function("VARPA"),                      // 0x016D
        Function("STDEVA"),                     // 0x016E
        Function("VARA"),                       // 0x016F
        Function("BAHTTEXT", 1),                // 0x0170
        Function("THAIDAYOFWEEK", 1),           // 0x0171
        Function("THAIDIGIT", 1),               // 0x0172
        Function("THAIMONTHOFYEAR", 1),         // 0x0173
        Function("THAINUMSOUND", 1),            // 0x0174
        Function("THAINUMSTRING", 1),           // 0x0175
        Function("THAISTRINGLENGTH", 1),        // 0x0176
        Function("ISTHAIDIGIT", 1),             // 0x0177
        Function("ROUNDBAHTDOWN", 1),           // 0x0178
        Function("ROUNDBAHTUP", 1),             // 0x0179
        Function("THAIYEAR", 1),                // 0x017A
        Function("RTD"),                        // 0x017B
    ]
}
