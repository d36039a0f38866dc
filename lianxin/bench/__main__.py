import sys

from lianxin.bench import main

sys.exit(main())
