"""What each category is about: a domain lexicon of Semarang's public services, in
standard Indonesian (the normalizer maps shorthand and Javanese onto it). The
classifier uses it as features beside the words it learned, so a complaint about an
incident it never saw still lands where an officer would put it."""

from services.contracts.reference import Category

NOT_A_COMPLAINT = "bukan_pengaduan"

LEXICON: dict[str, tuple[str, ...]] = {
    Category.PENDIDIKAN_KESEHATAN: (
        "sekolah", "guru", "murid", "siswa", "pendidikan", "ppdb", "zonasi", "beasiswa",
        "ijazah", "spp", "seragam", "lks", "study tour", "kelas", "kepala sekolah", "sd",
        "smp", "sma", "paud", "tk", "perpustakaan", "honorer", "puskesmas", "pustu",
        "rumah sakit", "rsud", "dokter", "dokter gigi", "bidan", "perawat", "pasien",
        "jaminan kesehatan", "kesehatan", "obat", "apotek", "posyandu", "imunisasi",
        "vaksin", "demam berdarah", "fogging", "diare", "keracunan", "stunting", "gizi",
        "ambulans", "gawat darurat", "igd", "persalinan", "ibu hamil", "balita", "lansia",
        "rawat inap", "sakit", "pingsan", "penyakit", "klinik kesehatan", "makanan tambahan",
    ),
    Category.ADMINISTRASI_KEPENDUDUKAN: (
        "ktp", "kartu keluarga", "akta", "akta kelahiran", "akta kematian", "kelahiran",
        "kematian", "kependudukan", "nik", "pindah domisili", "surat pindah", "kia",
        "kartu identitas anak", "rekam", "perekaman", "blanko", "cetak ulang", "dukcapil",
        "catatan sipil", "status perkawinan", "akta nikah", "data penduduk", "domisili",
        "surat pengantar", "surat keterangan", "kelurahan", "lurah", "daftar pemilih",
        "identitas", "biodata", "nama ibu", "salah tulis", "kartu",
    ),
    Category.PERIZINAN_PAJAK: (
        "izin", "ijin", "perizinan", "imb", "pbg", "pbb", "sppt", "pajak", "retribusi",
        "nib", "oss", "siup", "bphtb", "njop", "wajib pajak", "tunggakan", "denda",
        "pajak restoran", "pajak hotel", "pajak parkir", "pajak reklame", "izin reklame",
        "izin usaha", "sertifikat laik fungsi", "persetujuan bangunan", "pelayanan terpadu",
        "verifikasi", "bapenda", "balik nama", "keringanan", "tagihan", "tower",
        "perpanjangan izin", "izin operasional", "persyaratan", "sk",
    ),
    Category.INFRASTRUKTUR_FASUM: (
        "jalan rusak", "jalan berlubang", "lubang", "berlubang", "aspal", "pengaspalan",
        "jembatan", "trotoar", "drainase", "saluran", "gorong", "selokan", "taman",
        "fasilitas umum", "rob", "banjir", "genangan", "tanggul", "talud", "pompa air",
        "rumah pompa", "sungai", "normalisasi", "sedimen", "amblas", "longsor", "galian",
        "beton", "penutup saluran", "pagar pembatas", "jalan kampung", "jalan provinsi",
        "toilet umum", "lapangan", "balai warga", "peninggian jalan", "kontraktor", "proyek",
        "jalan tanah", "becek", "tanjakan", "paving", "got",
    ),
    Category.LINGKUNGAN_PERUMAHAN: (
        "sampah", "limbah", "bau", "pencemaran", "polusi", "tercemar", "asap", "pembakaran",
        "debu", "bising", "kebisingan", "rumah tidak layak huni", "perumahan", "rusunawa",
        "pohon", "ranting", "tumbang", "penebangan", "penghijauan", "kebersihan", "tpa",
        "tempat sampah", "kontainer", "bank sampah", "pengangkut sampah", "permukiman",
        "kumuh", "sanitasi", "peternakan", "kandang", "cat", "tiner", "pengembang",
        "air bersih", "lingkungan", "ikan mati", "pabrik", "genset", "stockpile", "batu bara",
    ),
    Category.PENERANGAN_TRANSPORTASI: (
        "lampu jalan", "penerangan", "penerangan jalan", "lampu mati", "gelap", "tiang lampu",
        "lampu lalu lintas", "traffic light", "bus", "trans semarang", "angkutan kota",
        "angkot", "parkir", "juru parkir", "parkir liar", "macet", "kemacetan", "halte",
        "rambu", "marka", "zebra cross", "terminal", "penumpang", "sopir", "koridor",
        "simpang", "persimpangan", "lampu hijau", "lalu lintas", "kabel", "kecelakaan",
        "balap liar", "knalpot", "karcis", "tiket", "top up", "kendaraan", "truk",
        "lampu", "menyeberang", "tikungan", "parkir berlangganan",
    ),
    Category.PENEGAKAN_PERDA: (
        "pedagang kaki lima", "pkl", "bangunan liar", "satpol", "perda", "karaoke", "miras",
        "minuman keras", "tempat hiburan", "hiburan malam", "pengemis", "gelandangan",
        "anak jalanan", "pengamen", "manusia silver", "reklame liar", "baliho", "spanduk",
        "tanpa izin", "ilegal", "judi", "sabung ayam", "asusila", "panti pijat", "petasan",
        "ditertibkan", "penertiban", "garis sempadan", "badan jalan", "trotoar dipakai",
        "galian c", "tambang", "kos", "rongsok", "menimbun", "melanggar", "surat edaran",
        "berjualan", "pedagang", "lahan milik pemkot", "gubuk",
    ),
    NOT_A_COMPLAINT: (
        "tes", "test", "coba", "percobaan", "abaikan", "promo", "diskon", "jual", "dijual",
        "pinjaman", "gratis ongkir", "order", "klik", "link", "slot", "gacor", "followers",
        "selamat pagi", "selamat", "terima kasih", "semoga", "sukses", "bangga", "hebat",
        "apa kabar", "tanya", "kapan", "jam buka", "lowongan", "rekomendasi", "wisata",
        "hari jadi", "goblok", "tolol", "bangsat", "anjing", "babi", "bubarkan",
    ),
}  # fmt: skip
