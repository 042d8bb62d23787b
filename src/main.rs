fn main() {
    seller_support::start();
}
