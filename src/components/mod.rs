pub mod car_picture;
pub mod choice_card;
pub mod dialog;
pub mod germany_map;
pub mod layout;
pub mod price_bar;
pub mod qr;
pub mod summary;
