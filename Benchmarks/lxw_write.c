/* The libxlsxwriter side of the write benchmark (and the generator of the read inputs).
 *
 *   lxw_write OUT.xlsx ROWS [--constant-memory]
 *
 * Writes the annex-shaped workbook that Benchmarks/bench.py describes: two title rows, a 3-level
 * merged header, then ROWS rows of a unit name and 19 value columns (integers, two-decimal numbers,
 * "-" and "无"), every cell bordered, two-decimal columns formatted 0.00. The values come from the
 * same formula in bench.py (CSV and openpyxl data) and Sources/AnnexBench (annex's writer), so every
 * tool writes the same workbook. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *districts[12] = {"东湖区", "西湖区", "青云谱区", "青山湖区", "新建区", "红谷滩区",
                                    "南昌县", "进贤县", "安义县", "经开区", "高新区", "市本级"};
static const char *groups[6] = {"参保人数", "基金收入", "基金支出", "参保人数", "基金收入", "基金支出"};
static const int group_first[6] = {1, 4, 7, 11, 14, 17};
static const int group_last[6] = {3, 6, 10, 13, 16, 19};
static const char *leaves[4] = {"目标任务", "累计完成", "占全年任务", "同比"};

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: lxw_write OUT.xlsx ROWS [--constant-memory]\n"); return 2; }
    long rows = atol(argv[2]);
    lxw_workbook_options options = {.constant_memory = argc > 3 && strcmp(argv[3], "--constant-memory") == 0,
                                    .tmpdir = NULL};
    lxw_workbook *workbook = workbook_new_opt(argv[1], &options);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "社会保险二");
    lxw_format *title = workbook_add_format(workbook);
    format_set_bold(title);
    format_set_font_size(title, 16);
    format_set_align(title, LXW_ALIGN_CENTER);
    lxw_format *head = workbook_add_format(workbook);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(head);
    lxw_format *body = workbook_add_format(workbook);
    format_set_border(body, LXW_BORDER_THIN);
    lxw_format *money = workbook_add_format(workbook);
    format_set_border(money, LXW_BORDER_THIN);
    format_set_num_format(money, "0.00");

    worksheet_write_string(sheet, 0, 0, "附件4", NULL);
    worksheet_merge_range(sheet, 1, 0, 1, 19, "2023年7月社会保险二主要指标完成情况", title);
    worksheet_write_string(sheet, 2, 0, "单位：万人、万元", NULL);
    worksheet_write_string(sheet, 3, 0, "项目/单位", head);
    worksheet_merge_range(sheet, 3, 1, 3, 10, "企业职工基本养老保险", head);
    worksheet_merge_range(sheet, 3, 11, 3, 19, "失业保险", head);
    for (int g = 0; g < 6; g++) worksheet_merge_range(sheet, 4, group_first[g], 4, group_last[g], groups[g], head);
    for (int g = 0; g < 6; g++)
        for (int c = group_first[g]; c <= group_last[g]; c++)
            worksheet_write_string(sheet, 5, c, leaves[c - group_first[g]], head);
    /* Issued last so that constant-memory mode, which only writes the current row, keeps the header. */
    worksheet_merge_range(sheet, 3, 0, 5, 0, "项目/单位", head);

    char name[64];
    for (long i = 0; i < rows; i++) {
        lxw_row_t r = (lxw_row_t)(6 + i);
        snprintf(name, sizeof name, "%s%ld", districts[i % 12], i % 997);
        worksheet_write_string(sheet, r, 0, name, body);
        for (int c = 1; c < 20; c++) {
            uint32_t h = (uint32_t)i * 2654435761u + (uint32_t)c * 40503u;
            uint32_t k = h % 100;
            if (k == 0) worksheet_write_string(sheet, r, c, "-", body);
            else if (k == 1) worksheet_write_string(sheet, r, c, "无", body);
            else if (c % 2 == 1) worksheet_write_number(sheet, r, c, (double)(h % 100000), body);
            else worksheet_write_number(sheet, r, c, (double)(h % 10000000) / 100.0, money);
        }
    }
    lxw_error error = workbook_close(workbook);
    if (error) { fprintf(stderr, "lxw_write: %s\n", lxw_strerror(error)); return 1; }
    return 0;
}
