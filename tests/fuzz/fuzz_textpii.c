/* tests/fuzz/fuzz_textpii.c - libFuzzer target for the free-text PII
 * scanner (mocks and tags) and the format-preserving text mask: any bytes,
 * no crash, no read past the input, output of the right size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "engine/gen/textpii.h"
#include "engine/mask/ff1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dp_textpii *mock, *tags;
	static dp_namebook *book;
	static dp_ff1 *ff1;
	static dp_job_key key;
	dp_errbuf eb;
	dp_buf out = DP_BUF_INIT;
	dp_batch *sc = dp_batch_new(1, 16);
	char *copy = malloc(size + 1), *fpe = malloc(size + 1);
	size_t found = 0;

	if (!book) {
		dp_textpii_opts o;
		unsigned char k[32] = {1, 2, 3};
		book = dp_namebook_new();
		(void)!dp_namebook_add(book, "Tessa Vermeulen", 15, 3);
		(void)!dp_namebook_add_value(book, "42 Harbour Lane", 15, "street_address");
		dp_job_key_from_seed(1, &key);
		memset(&o, 0, sizeof(o));
		o.mock_replace = 1;
		o.key = &key;
		o.book = book;
		o.table_col = "fuzz.text";
		dp_errbuf_clear(&eb);
		(void)!dp_textpii_new(&o, &mock, &eb);
		o.mock_replace = 0;
		(void)!dp_textpii_new(&o, &tags, &eb);
		ff1 = dp_ff1_new(k, sizeof(k));
	}
	if (!copy || !fpe || !sc || !mock || !tags)
		goto out;
	memcpy(copy, data, size);   /* an exact-size heap copy: ASan sees overreads */
	dp_errbuf_clear(&eb);
	(void)!dp_textpii_apply(mock, copy, size, sc, &out, &found, &eb);
	dp_buf_reset(&out);
	(void)!dp_textpii_apply(tags, copy, size, sc, &out, &found, &eb);
	if (ff1 && !dp_fpe_text(ff1, copy, size, fpe)) {
		for (size_t i = 0; i < size; i++)
			if ((copy[i] >= '0' && copy[i] <= '9') != (fpe[i] >= '0' && fpe[i] <= '9'))
				abort();
	}
out:
	dp_buf_free(&out);
	dp_batch_free(sc);
	free(copy);
	free(fpe);
	return 0;
}
