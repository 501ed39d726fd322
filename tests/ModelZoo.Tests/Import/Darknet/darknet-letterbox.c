/* libdarknet's own preprocessing of a photo for a detector, for the preprocessing parity test.
 *
 *   darknet-letterbox IMAGE WIDTH HEIGHT OUT
 *
 * Loads IMAGE as libdarknet's detector test does (load_image_color), letterboxes it to WIDTH x HEIGHT
 * (letterbox_image) and writes the result to OUT as WIDTH*HEIGHT*3 float32 values, channel-major RGB in 0-1:
 * the tensor network_predict is given. */
#include <stdio.h>
#include <stdlib.h>
#include "darknet.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s IMAGE WIDTH HEIGHT OUT\n", argv[0]);
        return 2;
    }
    image im = load_image_color(argv[1], 0, 0);
    image boxed = letterbox_image(im, atoi(argv[2]), atoi(argv[3]));
    FILE *f = fopen(argv[4], "wb");
    if (!f) {
        perror(argv[4]);
        return 1;
    }
    fwrite(boxed.data, sizeof(float), (size_t)boxed.w * boxed.h * boxed.c, f);
    fclose(f);
    free_image(boxed);
    free_image(im);
    return 0;
}
